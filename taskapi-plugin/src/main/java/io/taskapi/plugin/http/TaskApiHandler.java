package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.auth.AnonymousIdentity;
import io.taskapi.plugin.auth.AuthenticationGate;
import io.taskapi.plugin.auth.CredentialRejectedException;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.auth.TokenExtractor;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.limits.ConnectionLimiter;
import io.taskapi.plugin.limits.RateLimiter;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.metrics.AuditLog;
import io.taskapi.plugin.socket.SocketOrigin;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain every request goes through, in this order: peer check (task sockets with a user), rate and connection
 * limits (task sockets: 429), credential (none on a
 * task socket: 401; none on the operator listener: the anonymous policy), authentication (refused: 403; backend
 * down: 503), route (404, 405), authorization (403), {@code ?help=1}, the route itself.
 *
 * <p>The only way to the anonymous policy is a token-less request that did not come through a task socket.
 */
public final class TaskApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(TaskApiHandler.class);
    private static final int ROOT_UID = 0;

    private final TokenExtractor tokens;
    private final AuthenticationGate gate;
    private final Router router;
    private final AclResolver acls;
    private final JsonResponses json;
    private final ObjectMapper mapper;
    private final TaskApiConfig config;
    private final RateLimiter rateLimiter;
    private final ConnectionLimiter connections;
    private final ApiMetrics metrics;
    private final AuditLog audit;

    /**
     * @param tokens finds the credential in a request
     * @param gate verifies it
     * @param router finds the route
     * @param acls turns an identity into what its policies allow
     * @param json writes bodies
     * @param mapper reads bodies
     * @param config root peers, body limit
     * @param rateLimiter requests per second per task socket
     * @param connections open connections per task socket
     * @param metrics counts what happened
     * @param audit writes one line per request
     */
    @Inject
    public TaskApiHandler(TokenExtractor tokens, AuthenticationGate gate, Router router, AclResolver acls,
                          JsonResponses json, ObjectMapper mapper, TaskApiConfig config, RateLimiter rateLimiter,
                          ConnectionLimiter connections, ApiMetrics metrics, AuditLog audit) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.router = requireNonNull(router, "router is null");
        this.acls = requireNonNull(acls, "acls is null");
        this.json = requireNonNull(json, "json is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.config = requireNonNull(config, "config is null");
        this.rateLimiter = requireNonNull(rateLimiter, "rateLimiter is null");
        this.connections = requireNonNull(connections, "connections is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        Optional<SocketOrigin> origin = SocketOrigin.of(request);
        Outcome outcome = new Outcome();
        Object result = null;
        ApiException error = null;
        try {
            result = serve(request, response, path, origin, outcome);
        } catch (ApiException e) {
            if (e.status() == 405) {
                response.getHeaders().put(HttpHeader.ALLOW, router.allowed(path));
            }
            error = e;
        } catch (StateUnavailableException e) {
            LOG.warn("state unavailable for {} {}: {}", request.getMethod(), outcome.route, e.getMessage());
            error = new ApiException(503, "Service unavailable: " + e.getMessage());
        } catch (RuntimeException e) {
            // The id ties the caller's error to the log line without showing the caller any internals.
            String errorId = UUID.randomUUID().toString();
            LOG.error("internal error {} on {} {}", errorId, request.getMethod(), outcome.route, e);
            error = new ApiException(500, "Internal server error (error id " + errorId + ")");
        }
        // Counted and audited before the answer leaves, so whoever reads the metrics after it sees it.
        int status = error != null ? error.status() : JsonResponses.statusOf(result);
        long nanos = System.nanoTime() - start;
        metrics.requestServed(outcome.route, request.getMethod(), status, nanos);
        audit.record(origin, outcome.identity, request.getMethod(), outcome.route, status, nanos);
        if (error != null) {
            if (hasUnreadBody(request)) {
                // Refused before its body was read: Jetty will close the connection after the answer, so say so,
                // or a keep-alive client sends its next request on a connection about to close.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            json.sendError(response, callback, error);
        } else {
            json.sendResult(response, callback, result);
        }
        return true;
    }

    /** Whether the request may carry a body (errors are answered without reading one). */
    private static boolean hasUnreadBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Runs the chain and the route; writes nothing, so the caller can record the outcome first. */
    private Object serve(Request request, Response response, String path, Optional<SocketOrigin> origin,
                         Outcome outcome) throws ApiException, StateUnavailableException {
        if (origin.isPresent()) {
            checkPeer(origin.get());
            checkLimits(origin.get(), response);
        }
        Identity identity = authenticate(request, origin);
        outcome.identity = identity.auditName();
        Router.RouteMatch match = router.route(request.getMethod(), path);
        outcome.route = match.route().path();
        Acl acl = acls.resolve(identity);
        ApiRequest apiRequest = new ApiRequest(request, identity, acl, origin, match.params(), mapper,
                config.maxBodyBytes());
        if (!match.route().permission().allows(apiRequest)) {
            throw ApiException.permissionDenied();
        }
        if (apiRequest.query("help").filter(value -> !value.equals("0") && !value.equals("false")).isPresent()) {
            return Map.of("help", match.route().help());
        }
        return match.route().handle(apiRequest);
    }

    /** What the audit line and the metrics need to know of a request, filled in as it gets further. */
    private static final class Outcome {
        private String route = "-";
        private String identity = "-";
    }

    private void checkLimits(SocketOrigin origin, Response response) throws ApiException {
        if (connections.overLimit(origin.socket())) {
            metrics.rateLimited("connections");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            throw new ApiException(429, "Too many connections to this task socket (at most "
                    + connections.maxConnections() + "); close idle ones and retry");
        }
        Optional<Duration> wait = rateLimiter.acquire(origin.socket());
        if (wait.isPresent()) {
            metrics.rateLimited("rate");
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            throw new ApiException(429, "Rate limit exceeded for this task socket; retry after " + seconds + "s");
        }
    }

    private void checkPeer(SocketOrigin origin) throws ApiException {
        OptionalInt owner = origin.socket().ownerUid();
        if (owner.isEmpty()) {
            return;
        }
        int peerUid = origin.peer().uid();
        boolean allowed = peerUid == owner.getAsInt() || (config.allowRootPeer() && peerUid == ROOT_UID);
        if (!allowed) {
            metrics.authenticationFailed("peer");
            throw new ApiException(403, "Permission denied: this task socket only serves the task's user (uid "
                    + owner.getAsInt() + "), not uid " + peerUid);
        }
    }

    private Identity authenticate(Request request, Optional<SocketOrigin> origin)
            throws ApiException, StateUnavailableException {
        Optional<String> credential = tokens.extract(request.getHeaders());
        if (credential.isEmpty()) {
            if (origin.isEmpty()) {
                return new AnonymousIdentity();
            }
            metrics.authenticationFailed("missing");
            throw new ApiException(401,
                    "Unauthorized: send a token in X-Nomad-Token, Authorization: Bearer, or the token cookie");
        }
        try {
            return gate.authenticate(credential.get());
        } catch (CredentialRejectedException e) {
            LOG.debug("credential refused: {}", e.reason());
            metrics.authenticationFailed(e.reason());
            throw new ApiException(403, "Permission denied: " + e.getMessage());
        }
    }
}
