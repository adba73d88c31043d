package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Request;

/**
 * Where a request came from: which task's socket, and which process at the other end. Both are fixed when the
 * connection is accepted, so looking them up costs no system call.
 *
 * @param socket the task socket the connection came in on
 * @param peer the connecting process, from {@code SO_PEERCRED} at accept time
 * @param peerAllowed whether the peer may use the socket: any peer when the task has no user, otherwise only the
 *     task's user (and root where the agent allows it); decided once, at accept
 */
public record SocketOrigin(TaskSocket socket, PeerCredentials peer, boolean peerAllowed) {
    /**
     * Checks that nothing is missing.
     *
     * @param socket see the record component of that name
     * @param peer see the record component of that name
     * @param peerAllowed see the record component of that name
     */
    public SocketOrigin {
        requireNonNull(socket, "socket is null");
        requireNonNull(peer, "peer is null");
    }

    /**
     * @param request any request
     * @return the origin when the request came through a {@link UnixSocketConnector}; empty otherwise (the operator's
     *     TCP listener, say)
     */
    public static Optional<SocketOrigin> of(Request request) {
        requireNonNull(request, "request is null");
        return of(request.getConnectionMetaData().getConnection());
    }

    /**
     * @param connection any connection, or {@code null}
     * @return the origin when it was accepted by a {@link UnixSocketConnector}; empty otherwise
     */
    public static Optional<SocketOrigin> of(Connection connection) {
        if (connection != null && connection.getEndPoint() instanceof UnixSocketEndPoint endPoint) {
            return endPoint.origin();
        }
        return Optional.empty();
    }
}
