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
import io.taskapi.plugin.socket.SocketOrigin;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
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
 * The chain every request goes through, in this order: peer check (task sockets with a user), credential (none on a
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

    /**
     * @param tokens finds the credential in a request
     * @param gate verifies it
     * @param router finds the route
     * @param acls turns an identity into what its policies allow
     * @param json writes bodies
     * @param mapper reads bodies
     * @param config root peers, body limit
     */
    @Inject
    public TaskApiHandler(TokenExtractor tokens, AuthenticationGate gate, Router router, AclResolver acls,
                          JsonResponses json, ObjectMapper mapper, TaskApiConfig config) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.router = requireNonNull(router, "router is null");
        this.acls = requireNonNull(acls, "acls is null");
        this.json = requireNonNull(json, "json is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        try {
            Optional<SocketOrigin> origin = SocketOrigin.of(request);
            if (origin.isPresent()) {
                checkPeer(origin.get());
            }
            Identity identity = authenticate(request, origin);
            Router.RouteMatch match = router.route(request.getMethod(), path);
            Acl acl = acls.resolve(identity);
            ApiRequest apiRequest = new ApiRequest(request, identity, acl, origin, match.params(), mapper,
                    config.maxBodyBytes());
            if (!match.route().permission().allows(apiRequest)) {
                throw ApiException.permissionDenied();
            }
            if (apiRequest.query("help").filter(value -> !value.equals("0") && !value.equals("false")).isPresent()) {
                json.send(response, callback, 200, Map.of("help", match.route().help()));
                return true;
            }
            json.sendResult(response, callback, match.route().handle(apiRequest));
        } catch (ApiException e) {
            if (e.status() == 405) {
                response.getHeaders().put(HttpHeader.ALLOW, router.allowed(path));
            }
            json.sendError(response, callback, e);
        } catch (StateUnavailableException e) {
            LOG.warn("state unavailable for {} {}: {}", request.getMethod(), path, e.getMessage());
            json.sendError(response, callback, new ApiException(503, "Service unavailable: " + e.getMessage()));
        } catch (RuntimeException e) {
            // The id ties the caller's error to the log line without showing the caller any internals.
            String errorId = UUID.randomUUID().toString();
            LOG.error("internal error {} on {} {}", errorId, request.getMethod(), path, e);
            json.sendError(response, callback,
                    new ApiException(500, "Internal server error (error id " + errorId + ")"));
        }
        return true;
    }

    private void checkPeer(SocketOrigin origin) throws ApiException {
        OptionalInt owner = origin.socket().ownerUid();
        if (owner.isEmpty()) {
            return;
        }
        int peerUid = origin.peer().uid();
        boolean allowed = peerUid == owner.getAsInt() || (config.allowRootPeer() && peerUid == ROOT_UID);
        if (!allowed) {
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
            throw new ApiException(401,
                    "Unauthorized: send a token in X-Nomad-Token, Authorization: Bearer, or the token cookie");
        }
        try {
            return gate.authenticate(credential.get());
        } catch (CredentialRejectedException e) {
            LOG.debug("credential refused: {}", e.reason());
            throw new ApiException(403, "Permission denied: " + e.getMessage());
        }
    }
}
