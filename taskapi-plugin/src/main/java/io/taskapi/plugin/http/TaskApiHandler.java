package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.AuthenticationGate;
import io.taskapi.plugin.auth.CredentialRejectedException;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.auth.TokenExtractor;
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
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain every request goes through, in this order: peer check (task sockets with a user), token (none: 401),
 * authentication (refused: 403; backend down: 503), route (404, 405), {@code ?help=1}, the route itself.
 *
 * <p>There is deliberately no anonymous path: a request without a credential never reaches a route.
 */
public final class TaskApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(TaskApiHandler.class);
    private static final int ROOT_UID = 0;

    private final TokenExtractor tokens;
    private final AuthenticationGate gate;
    private final Router router;
    private final JsonResponses json;
    private final boolean allowRootPeer;

    /**
     * @param tokens finds the credential in a request
     * @param gate verifies it
     * @param router finds the route
     * @param json writes bodies
     * @param config whether root may call a task user's socket
     */
    @Inject
    public TaskApiHandler(TokenExtractor tokens, AuthenticationGate gate, Router router, JsonResponses json,
                          TaskApiConfig config) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.router = requireNonNull(router, "router is null");
        this.json = requireNonNull(json, "json is null");
        this.allowRootPeer = requireNonNull(config, "config is null").allowRootPeer();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        try {
            Optional<SocketOrigin> origin = SocketOrigin.of(request);
            if (origin.isPresent()) {
                checkPeer(origin.get());
            }
            Identity identity = authenticate(request);
            ApiRoute route = router.route(request.getMethod(), path);
            if (asksForHelp(request)) {
                json.send(response, callback, 200, Map.of("help", route.help()));
                return true;
            }
            json.send(response, callback, 200, route.handle(new ApiRequest(request, identity, origin)));
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
            json.sendError(response, callback, new ApiException(500, "Internal server error (error id " + errorId + ")"));
        }
        return true;
    }

    private void checkPeer(SocketOrigin origin) throws ApiException {
        OptionalInt owner = origin.socket().ownerUid();
        if (owner.isEmpty()) {
            return;
        }
        int peerUid = origin.peer().uid();
        boolean allowed = peerUid == owner.getAsInt() || (allowRootPeer && peerUid == ROOT_UID);
        if (!allowed) {
            throw new ApiException(403, "Permission denied: this task socket only serves the task's user (uid "
                    + owner.getAsInt() + "), not uid " + peerUid);
        }
    }

    private Identity authenticate(Request request) throws ApiException, StateUnavailableException {
        String credential = tokens.extract(request.getHeaders()).orElseThrow(() -> new ApiException(401,
                "Unauthorized: send a token in X-Nomad-Token, Authorization: Bearer, or the token cookie"));
        try {
            return gate.authenticate(credential);
        } catch (CredentialRejectedException e) {
            LOG.debug("credential refused: {}", e.reason());
            throw new ApiException(403, "Permission denied: " + e.getMessage());
        }
    }

    private static boolean asksForHelp(Request request) {
        Fields query = Request.extractQueryParameters(request);
        Fields.Field help = query.get("help");
        return help != null && !"0".equals(help.getValue()) && !"false".equals(help.getValue());
    }
}
