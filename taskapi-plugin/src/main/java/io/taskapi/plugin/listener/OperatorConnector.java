package io.taskapi.plugin.listener;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The operator's TCP listener: the same routes and chain as the task sockets, no peer check, and token-less requests
 * get the anonymous policy. Its class is what makes a request {@link ListenerKind#OPERATOR}.
 */
public final class OperatorConnector extends ServerConnector {
    /** The connector's name, as Jetty reports it. */
    public static final String NAME = "operator";

    /**
     * @param server the server it belongs to
     * @param factories how connections speak: HTTP, or TLS then HTTP
     */
    public OperatorConnector(Server server, ConnectionFactory... factories) {
        super(server, factories);
        setName(NAME);
    }
}
