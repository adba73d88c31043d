package io.taskapi.plugin.socket;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A real Jetty server with one {@link UnixSocketConnector}, one TCP connector on a free port, and the echo handler. */
final class SocketTestServer {
    final Server server;
    final UnixSocketConnector connector;
    final ServerConnector tcp;

    private SocketTestServer(Server server, UnixSocketConnector connector, ServerConnector tcp) {
        this.server = server;
        this.connector = connector;
        this.tcp = tcp;
    }

    static SocketTestServer start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("test-http");
        Server server = new Server(threads);
        UnixSocketConnector connector = new UnixSocketConnector(server);
        ServerConnector tcp = new ServerConnector(server, 1, 1);
        tcp.setHost("127.0.0.1");
        tcp.setPort(0);
        server.addConnector(connector);
        server.addConnector(tcp);
        server.setHandler(new OriginEchoHandler());
        server.start();
        return new SocketTestServer(server, connector, tcp);
    }

    void stop() throws Exception {
        server.stop();
    }
}
