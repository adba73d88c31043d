package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.socket.SocketOrigin;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * An authenticated request, as routes see it.
 *
 * @param request the Jetty request (headers, query, body)
 * @param identity who the caller proved to be
 * @param origin the task socket and peer it came through; empty on the operator listener
 */
public record ApiRequest(Request request, Identity identity, Optional<SocketOrigin> origin) {
    /** Checks that nothing is missing. */
    public ApiRequest {
        requireNonNull(request, "request is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(origin, "origin is null");
    }
}
