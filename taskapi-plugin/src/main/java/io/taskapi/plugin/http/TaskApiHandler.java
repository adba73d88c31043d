package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.auth.AnonymousIdentity;
import io.taskapi.plugin.auth.AuthenticationGate;
import io.taskapi.plugin.auth.CrossSiteCheck;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.auth.TokenExtractor;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.execution.WorkerLanes;
import io.taskapi.plugin.limits.RateLimiter;
import io.taskapi.plugin.listener.ListenerKind;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.metrics.AuditLog;
import io.taskapi.plugin.socket.SocketOrigin;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain every request goes through, in this order: peer check (task sockets with a user: 403), credential (none
 * on a task socket: 401; none on the operator listener: the anonymous policy; the {@code token} cookie alone on a
 * state-changing request that does not prove it is same-origin: 403, see {@link CrossSiteCheck}; none needed, and any
 * ignored, for a route {@linkplain Route#withoutCredential served without one}), authentication (refused: 403; backend
 * down: 503), rate limits (429), route (404, 405), authorization (403), {@code ?help=1}, the body if the route reads
 * one, the route itself.
 *
 * <p><b>Where it runs.</b> The handler is non-blocking: Jetty calls it on the I/O thread that read the request, and
 * it goes as far as memory allows there: a credential verified before, an ACL compiled before, a route that
 * {@linkplain Route#execution cannot block}. Those requests (the hot path: health, token self, metadata reads) cost
 * no thread hand-off. The first step that needs more (a signature to check, a store to ask, a route that may block)
 * hands the request, with what is known so far, to the caller's lane of the {@link WorkerLanes}; a body is first read
 * as it arrives, holding no thread ({@link BodyReader}). So nothing a client controls ever holds a shared thread.
 *
 * <p><b>Budgets.</b> Callers that fail authentication spend their own small bucket, per socket and peer uid; a
 * credential not verified before is paid for from it before it is verified (and refunded if it verifies), so once
 * it is empty credentials are refused (429) without being verified. Authenticated requests spend the socket's
 * bucket.
 *
 * <p>The only way to the anonymous policy is a token-less request on a listener of kind
 * {@link ListenerKind#OPERATOR}; a request on a listener of no known kind is refused (403) before anything else.
 */
public final class TaskApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(TaskApiHandler.class);
    // The operator listener's lane in the worker pool; task sockets each have their own.
    private static final Object OPERATOR_LANE = new Object();
    private static final String INDEX_HEADER = "X-Nomad-Index";
    private static final String KNOWN_LEADER_HEADER = "X-Nomad-KnownLeader";
    private static final String LAST_CONTACT_HEADER = "X-Nomad-LastContact";
    // How much longer than a blocking query's wait its connection may stay silent.
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(30);

    private final TokenExtractor tokens;
    private final AuthenticationGate gate;
    private final Router router;
    private final AclResolver acls;
    private final JsonResponses json;
    private final ObjectMapper mapper;
    private final TaskApiConfig config;
    private final RateLimiter rateLimiter;
    private final WorkerLanes lanes;
    private final BodyReader bodies;
    private final ApiMetrics metrics;
    private final AuditLog audit;
    private final QueryIndex index;

    /**
     * @param tokens finds the credential in a request
     * @param gate verifies it
     * @param router finds the route
     * @param acls turns an identity into what its policies allow
     * @param json writes bodies
     * @param mapper reads bodies
     * @param config the shares of the worker pool
     * @param rateLimiter requests per second per task socket
     * @param lanes runs what may block
     * @param bodies reads bodies without holding a thread
     * @param metrics counts what happened
     * @param audit writes one line per request
     * @param index the index of the state, for the query metadata and blocking queries
     */
    @Inject
    public TaskApiHandler(TokenExtractor tokens, AuthenticationGate gate, Router router, AclResolver acls,
                          JsonResponses json, ObjectMapper mapper, TaskApiConfig config, RateLimiter rateLimiter,
                          WorkerLanes lanes, BodyReader bodies, ApiMetrics metrics, AuditLog audit,
                          QueryIndex index) {
        super(InvocationType.NON_BLOCKING);
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.router = requireNonNull(router, "router is null");
        this.acls = requireNonNull(acls, "acls is null");
        this.json = requireNonNull(json, "json is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.config = requireNonNull(config, "config is null");
        this.rateLimiter = requireNonNull(rateLimiter, "rateLimiter is null");
        this.lanes = requireNonNull(lanes, "lanes is null");
        this.bodies = requireNonNull(bodies, "bodies is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.index = requireNonNull(index, "index is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        advance(new Exchange(request, response, callback, ListenerKind.of(request), SocketOrigin.of(request)), false);
        return true;
    }

    /**
     * Takes the request as far as it can go on this thread, then answers it, or hands it on.
     *
     * @param mayBlock whether this thread is a worker (store calls, signature checks allowed)
     */
    private void advance(Exchange exchange, boolean mayBlock) {
        Object result;
        try {
            result = proceed(exchange, mayBlock);
        } catch (ApiException e) {
            if (e.status() == 404 && mayWait(exchange, exchange.seen)) {
                // Nomad blocks on what is not there yet too (a variable someone is about to write).
                park(exchange);
                return;
            }
            answer(exchange, null, e);
            return;
        } catch (StateUnavailableException e) {
            LOG.warn("state unavailable for {} {}: {}", exchange.request.getMethod(), exchange.route, e.getMessage());
            answer(exchange, null, new ApiException(503, "Service unavailable: " + e.getMessage()));
            return;
        } catch (RuntimeException | Error e) {
            // An Error too (a stack overflow in a route, say): on a worker nobody else would answer the request.
            answer(exchange, null, internalError(exchange, e));
            return;
        }
        if (result == Next.WORKER) {
            dispatch(exchange);
        } else if (result == Next.BODY) {
            bodies.read(exchange.request, read -> {
                if (read.error() != null) {
                    answer(exchange, null, read.error());
                    return;
                }
                exchange.apiRequest.body(read.body());
                exchange.bodyRead = true;
                dispatch(exchange);
            });
        } else if (mayWait(exchange, answerIndex(exchange, result))) {
            park(exchange);
        } else {
            answer(exchange, result, null);
        }
    }

    /**
     * Whether a blocking query goes on waiting after this run: it asked to ({@code ?index=N}), its route watches the
     * state, the answer's index is not above N, and its wait is not over.
     */
    private boolean mayWait(Exchange exchange, long answerIndex) {
        return exchange.options != null && exchange.options.blocking() && !exchange.timedOut
                && exchange.match.route().blocks() && exchange.request.getMethod().equals("GET")
                && answerIndex <= exchange.options.minIndex().getAsLong();
    }

    /**
     * Holds a blocking query without a thread until the state it watches changes (then it runs again, on a worker of
     * its lane, as Nomad's {@code blockingRPC} runs its query again) or its wait is over (then it runs once more and
     * answers whatever it finds). The request stays in flight: Jetty keeps its connection, which counts against the
     * socket's (or the operator listener's) connection limit until the answer; a run takes a worker of the lane
     * like any request, and the wait itself none.
     */
    private void park(Exchange exchange) {
        if (exchange.timeout == null) {
            Duration wait = exchange.options.maxWait();
            // The connection must outlive the wait: Jetty's idle timeout would otherwise fail the request first.
            EndPoint endPoint = exchange.request.getConnectionMetaData().getConnection().getEndPoint();
            exchange.idleTimeout = endPoint.getIdleTimeout();
            endPoint.setIdleTimeout(Math.max(exchange.idleTimeout, wait.plus(IDLE_MARGIN).toMillis()));
            exchange.timeout = exchange.request.getComponents().getScheduler().schedule(() -> {
                exchange.timedOut = true;
                wake(exchange);
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        // Under the exchange's lock: a change can wake it (on the writer's thread) as soon as it is registered, and the
        // run that follows can park it again, so the wait it closes must be the one registered last.
        synchronized (exchange) {
            exchange.parked = true;
            metrics.queryParked();
            exchange.waiting = index.await(exchange.match.route().watches(), exchange.seen, () -> wake(exchange));
        }
        if (exchange.timedOut) {
            wake(exchange);   // the wait ended while this run was deciding to park
        }
    }

    /** Runs a parked query again, once, whoever wakes it first (a change or its timeout). */
    private void wake(Exchange exchange) {
        synchronized (exchange) {
            if (!exchange.parked) {
                return;
            }
            exchange.parked = false;
            metrics.queryUnparked();
            if (exchange.waiting != null) {
                exchange.waiting.close();
            }
        }
        dispatch(exchange);
    }

    /** @return the index of the state an answer reflects: the route's own if it gave one, else its parts' */
    private long answerIndex(Exchange exchange, Object result) {
        if (result instanceof ApiResponse answer && answer.index().isPresent()) {
            return answer.index().getAsLong();
        }
        return exchange.seen;
    }

    private void dispatch(Exchange exchange) {
        Object lane = exchange.origin.<Object>map(SocketOrigin::socket).orElse(OPERATOR_LANE);
        int share = exchange.kind.orElseThrow() == ListenerKind.TASK_SOCKET ? config.socket().socketMaxInFlight()
                : config.http().operatorMaxInFlight();
        if (!lanes.submit(lane, share, () -> advance(exchange, true))) {
            exchange.callback.failed(new IllegalStateException("the Task API is stopping"));
        }
    }

    /** Runs the chain from where the exchange stands; writes nothing, so that the outcome is recorded first. */
    private Object proceed(Exchange exchange, boolean mayBlock) throws ApiException, StateUnavailableException {
        Request request = exchange.request;
        if (exchange.identity == null) {
            Optional<Identity> identity = authenticate(exchange, mayBlock);
            if (identity.isEmpty()) {
                return Next.WORKER;
            }
            exchange.identity = identity.get();
            exchange.auditIdentity = exchange.identity.auditName();
            if (exchange.origin.isPresent()) {
                Optional<Duration> wait = rateLimiter.acquire(exchange.origin.get().socket());
                if (wait.isPresent()) {
                    throw rateLimited(exchange, "rate", wait.get(), "Rate limit exceeded for this task socket");
                }
            }
        }
        if (exchange.match == null) {
            exchange.match = router.route(request.getMethod(), Request.getPathInContext(request));
            exchange.route = exchange.match.route().path();
        }
        if (exchange.apiRequest == null) {
            Optional<Acl> acl = mayBlock ? Optional.of(acls.resolve(exchange.identity))
                    : acls.resolveCached(exchange.identity);
            if (acl.isEmpty()) {
                return Next.WORKER;
            }
            exchange.apiRequest = new ApiRequest(exchange.identity, acl.get(), exchange.origin,
                    exchange.match.params(), mapper, query(request));
        }
        Route route = exchange.match.route();
        ApiRequest apiRequest = exchange.apiRequest;
        if (!route.permission().allows(apiRequest)) {
            throw ApiException.permissionDenied();
        }
        if (apiRequest.query("help").filter(value -> !value.equals("0") && !value.equals("false")).isPresent()) {
            return Map.of("help", route.help());
        }
        if (exchange.options == null) {
            exchange.options = QueryOptions.of(apiRequest, config.http().region());
        }
        Execution execution = route.execution(apiRequest);
        if (execution.readsBody() && !exchange.bodyRead) {
            return Next.BODY;
        }
        if (!mayBlock && execution.mayBlock()) {
            return Next.WORKER;
        }
        // Read before the route reads the state: the answer reflects at least this index, never less.
        exchange.seen = index.index(route.watches());
        Object result = route.handle(apiRequest);
        if (!isQuery(request) && JsonResponses.statusOf(result) < 300) {
            recordWrite(route, exchange.seen, result);
        }
        return result;
    }

    /**
     * A successful write changed the parts its route watches: their index moves on and their blocking queries wake,
     * unless the store already said so during the request (its notification moved the index), so that one write is
     * one change.
     */
    private void recordWrite(Route route, long before, Object result) {
        if (route.watches().isEmpty() || index.index(route.watches()) != before) {
            return;
        }
        long atLeast = result instanceof ApiResponse answer ? answer.index().orElse(0) : 0;
        for (Watch watch : route.watches()) {
            index.changed(watch, atLeast);
        }
    }

    private static boolean isQuery(Request request) {
        return request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
    }

    /**
     * @return the caller's identity; empty when finding it needs a worker (a credential not verified before)
     */
    private Optional<Identity> authenticate(Exchange exchange, boolean mayBlock)
            throws ApiException, StateUnavailableException {
        if (exchange.kind.isEmpty()) {
            // A listener the wiring did not declare: never guess that it is the operator's.
            metrics.authenticationFailed("listener");
            LOG.warn("request on {}, a listener of no known kind, refused",
                    exchange.request.getConnectionMetaData().getConnector());
            throw new ApiException(403, "Permission denied: this listener is neither a task socket nor the "
                    + "operator listener");
        }
        Optional<SocketOrigin> origin = exchange.origin;
        if (origin.isPresent() && !origin.get().peerAllowed()) {
            metrics.authenticationFailed("peer");
            exchange.response.getHeaders().put(HttpHeader.CONNECTION, "close");
            throw new ApiException(403, "Permission denied: this task socket only serves the task's user (uid "
                    + origin.get().socket().ownerUid().orElseThrow() + "), not uid " + origin.get().peer().uid());
        }
        HttpFields headers = exchange.request.getHeaders();
        if (isWithoutCredential(exchange)) {
            // Login: its body is the credential. A browser saying it comes from another site is refused, so that no
            // site can log a visitor in to a token of its choosing.
            if (CrossSiteCheck.looksCrossSite(headers)) {
                metrics.authenticationFailed("cross-site");
                throw new ApiException(403, "Permission denied: cross-site request refused");
            }
            if (origin.isPresent()) {
                // A login verifies a signature: on a task socket it is paid for from the peer's failure budget, as an
                // unverified credential is, and refunded when it succeeds.
                Optional<Duration> wait = rateLimiter.acquireUnauthenticated(origin.get().socket(),
                        origin.get().peer().uid());
                if (wait.isPresent()) {
                    throw rateLimited(exchange, "unauthenticated", wait.get(),
                            "Too many failed authentications on this task socket");
                }
                exchange.loginPrepaid = true;
            }
            return Optional.of(new AnonymousIdentity());
        }
        Optional<TokenExtractor.Credential> found = tokens.extractCredential(headers);
        Optional<String> credential = found.map(TokenExtractor.Credential::value);
        if (found.isPresent() && found.get().fromCookie() && CrossSiteCheck.changesState(exchange.request.getMethod())
                && !CrossSiteCheck.provesSameOrigin(headers)) {
            metrics.authenticationFailed("cross-site");
            throw new ApiException(403, "Permission denied: a request authenticated only by the token cookie must"
                    + " show it is not cross-site (Sec-Fetch-Site: same-origin, an Origin matching the Host, or an "
                    + TokenExtractor.NOMAD_TOKEN_HEADER + " header)");
        }
        if (credential.isEmpty()) {
            if (exchange.kind.get() == ListenerKind.OPERATOR) {
                return Optional.of(new AnonymousIdentity());
            }
            metrics.authenticationFailed("missing");
            throw authenticationFailed(exchange, new ApiException(401,
                    "Unauthorized: send a token in X-Nomad-Token, Authorization: Bearer, or the token cookie"));
        }
        try {
            Optional<Identity> cached = gate.authenticateCached(credential.get());
            if (cached.isPresent()) {
                return cached;
            }
            if (!mayBlock) {
                // A credential not verified before costs a verification on a worker: it is paid for from the peer's
                // failure budget now, before any work, and refunded if it verifies. So a flood of junk gets 429s,
                // never more verifications than the budget. One being verified right now costs nothing more: this
                // request shares that verification (and pays after it only if it fails).
                if (origin.isPresent() && !gate.isBeingVerified(credential.get())) {
                    Optional<Duration> wait = rateLimiter.acquireUnauthenticated(origin.get().socket(),
                            origin.get().peer().uid());
                    if (wait.isPresent()) {
                        throw rateLimited(exchange, "unauthenticated", wait.get(),
                                "Too many failed authentications on this task socket");
                    }
                    exchange.failurePrepaid = true;
                }
                return Optional.empty();
            }
            Identity verified = gate.authenticate(credential.get());
            if (exchange.failurePrepaid) {
                rateLimiter.refundUnauthenticated(origin.orElseThrow().socket(), origin.orElseThrow().peer().uid());
            }
            return Optional.of(verified);
        } catch (CredentialRejectedException e) {
            LOG.debug("credential refused: {}", e.reason());
            metrics.authenticationFailed(e.reason());
            throw authenticationFailed(exchange, new ApiException(403, "Permission denied: " + e.getMessage()));
        }
    }

    /** Whether the request's route is served without a credential (an unknown path or method is not). */
    private boolean isWithoutCredential(Exchange exchange) {
        try {
            return router.route(exchange.request.getMethod(), Request.getPathInContext(exchange.request)).route()
                    .withoutCredential();
        } catch (ApiException e) {
            return false;
        }
    }

    /** A failed authentication spends the peer's failure budget; once that is gone, the answer is 429. */
    private ApiException authenticationFailed(Exchange exchange, ApiException refusal) {
        if (exchange.origin.isPresent() && !exchange.failurePrepaid) {
            SocketOrigin origin = exchange.origin.get();
            Optional<Duration> wait = rateLimiter.acquireUnauthenticated(origin.socket(), origin.peer().uid());
            if (wait.isPresent()) {
                return rateLimited(exchange, "unauthenticated", wait.get(),
                        "Too many failed authentications on this task socket");
            }
        }
        return refusal;
    }

    private ApiException rateLimited(Exchange exchange, String kind, Duration wait, String message) {
        metrics.rateLimited(kind);
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        exchange.response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
        return new ApiException(429, message + "; retry after " + seconds + "s");
    }

    private ApiException internalError(Exchange exchange, Throwable e) {
        // The id ties the caller's error to the log line without showing the caller any internals.
        String errorId = UUID.randomUUID().toString();
        LOG.error("internal error {} on {} {}", errorId, exchange.request.getMethod(), exchange.route, e);
        return new ApiException(500, "Internal server error (error id " + errorId + ")");
    }

    /** Records the outcome, then writes the answer: whoever reads the metrics after the answer sees it. */
    private void answer(Exchange exchange, Object result, ApiException error) {
        Request request = exchange.request;
        Response response = exchange.response;
        if (exchange.timeout != null) {
            exchange.timeout.cancel();
            request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(exchange.idleTimeout);
        }
        try {
            setMeta(exchange, result);
            int status = error != null ? error.status()
                    : result instanceof WebSocketUpgrade ? 101 : JsonResponses.statusOf(result);
            if (exchange.loginPrepaid && status < 300) {
                exchange.loginPrepaid = false;
                rateLimiter.refundUnauthenticated(exchange.origin.orElseThrow().socket(),
                        exchange.origin.orElseThrow().peer().uid());
            }
            long nanos = System.nanoTime() - exchange.startNanos;
            metrics.requestServed(exchange.route, request.getMethod(), status, nanos);
            audit.record(exchange.origin, exchange.auditIdentity, request.getMethod(), exchange.route, status, nanos);
            if (!exchange.bodyRead && hasBody(request)) {
                // Answered without reading the body: Jetty will close the connection after the answer, so say so,
                // or a keep-alive client sends its next request on a connection about to close.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            if (result instanceof WebSocketUpgrade upgrade) {
                if (!ServerWebSocketContainer.get(request.getContext()).upgrade(upgrade.creator(), request, response,
                        exchange.callback)) {
                    json.sendError(response, exchange.callback, new ApiException(400,
                            "This route needs a WebSocket: send a GET with Connection: Upgrade and Upgrade: websocket"),
                            pretty(exchange));
                }
            } else if (error != null) {
                if (error.status() == 405) {
                    response.getHeaders().put(HttpHeader.ALLOW, router.allowed(Request.getPathInContext(request)));
                }
                json.sendError(response, exchange.callback, error, pretty(exchange));
            } else {
                json.sendResult(response, exchange.callback, result, pretty(exchange));
            }
        } catch (RuntimeException | Error e) {
            // Never leave a request unanswered: what cannot be written is a 500, or at least a failed exchange.
            if (error == null && !response.isCommitted()) {
                answer(exchange, null, internalError(exchange, e));
            } else {
                exchange.callback.failed(e);
            }
        }
    }

    /**
     * The one place that sets Nomad's query metadata ({@code command/agent/http.go} {@code setMeta}, {@code setIndex}):
     * {@code X-Nomad-Index} on every answer of a route, query or write, error or not; on queries also
     * {@code X-Nomad-KnownLeader: true} and {@code X-Nomad-LastContact: 0}, as this agent's state is its own authority
     * (there is no leader to lose). Nothing before a route is found (401, 404 of an unknown path): there is no state
     * it reflects.
     */
    private void setMeta(Exchange exchange, Object result) {
        if (exchange.match == null) {
            return;
        }
        Route route = exchange.match.route();
        OptionalLong own = result instanceof ApiResponse answer ? answer.index() : OptionalLong.empty();
        long stateIndex;
        if (isQuery(exchange.request)) {
            stateIndex = own.orElse(index.index(route.watches()));
        } else {
            // A write: the index its change was recorded at (at least the store's own index for it).
            stateIndex = Math.max(own.orElse(0), index.index(route.watches()));
        }
        HttpFields.Mutable headers = exchange.response.getHeaders();
        headers.put(INDEX_HEADER, Long.toString(Math.max(1, stateIndex)));
        if (isQuery(exchange.request)) {
            headers.put(KNOWN_LEADER_HEADER, "true");
            headers.put(LAST_CONTACT_HEADER, "0");
        }
    }

    /** Nomad indents unless {@code ?pretty} is absent or a boolean that is false. */
    private static boolean pretty(Exchange exchange) {
        if (exchange.apiRequest == null) {
            return false;
        }
        Optional<String> pretty = exchange.apiRequest.query("pretty");
        return pretty.isPresent() && !List.of("0", "f", "F", "false", "FALSE", "False").contains(pretty.get());
    }

    /** The query's parameters; one that cannot be decoded (say {@code %zz}) is the caller's error, not a 500. */
    private static Fields query(Request request) throws ApiException {
        try {
            return Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            throw new ApiException(400, "Malformed query string: it is not valid percent-encoded UTF-8");
        }
    }

    /** Whether the request carries a body. */
    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** What the chain needs before it can go on. */
    private enum Next {
        /** A worker: a verification, a store call or a route that may block. */
        WORKER,
        /** The body, read as it arrives. */
        BODY
    }

    /**
     * One request on its way through the chain: what is known of it so far. Handed between threads only through the
     * worker pool's queue, which orders every write before the next thread's reads.
     */
    private static final class Exchange {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Optional<ListenerKind> kind;
        private final Optional<SocketOrigin> origin;
        private final long startNanos = System.nanoTime();
        private String route = "-";
        private String auditIdentity = "-";
        private Identity identity;
        private Router.RouteMatch match;
        private ApiRequest apiRequest;
        private boolean bodyRead;
        private boolean failurePrepaid;
        private boolean loginPrepaid;
        private QueryOptions options;
        private long seen;
        // A blocking query's wait: set once, by the run that parks it first.
        private Scheduler.Task timeout;
        private long idleTimeout;
        private volatile boolean timedOut;
        private Subscription waiting;
        private boolean parked;

        Exchange(Request request, Response response, Callback callback, Optional<ListenerKind> kind,
                 Optional<SocketOrigin> origin) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.kind = kind;
            this.origin = origin;
        }
    }
}
