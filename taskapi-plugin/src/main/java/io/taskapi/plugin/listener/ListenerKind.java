package io.taskapi.plugin.listener;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.socket.SocketOrigin;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * Which kind of listener a request came in on. What a request may do without a credential depends on it, so it is
 * always stated by the listener, never inferred from what a request lacks: a request on a listener of no known kind is
 * refused.
 */
public enum ListenerKind {
    /** A task's Unix socket: a credential is always required, and the socket's own limits apply. */
    TASK_SOCKET,
    /** The operator's TCP listener ({@link OperatorConnector}): a token-less request gets the anonymous policy. */
    OPERATOR;

    /**
     * @param request any request
     * @return the kind of listener it came in on; empty when it came in on a listener that is neither a task socket
     *     nor an {@link OperatorConnector}
     */
    public static Optional<ListenerKind> of(Request request) {
        requireNonNull(request, "request is null");
        if (SocketOrigin.of(request).isPresent()) {
            return Optional.of(TASK_SOCKET);
        }
        if (request.getConnectionMetaData().getConnector() instanceof OperatorConnector) {
            return Optional.of(OPERATOR);
        }
        return Optional.empty();
    }
}
