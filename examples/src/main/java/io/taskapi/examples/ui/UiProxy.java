package io.taskapi.examples.ui;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The web UI's HTTPS server: serves the UI's files and forwards its API calls to the task socket, with the browser
 * user's token ({@link ApiForwarder}). Meant to run as a task, so that it reaches the API through its own socket and
 * holds no privilege of its own.
 */
public final class UiProxy implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final TaskSocket api;
    private final String host;

    /**
     * What the proxy needs.
     *
     * @param host the address to listen on
     * @param port the port, 0 for any free one
     * @param certFile the certificate (chain), PEM
     * @param keyFile its private key, PEM
     * @param socket the task's API socket
     * @param ownIdentity the proxy's own workload identity, for its health check only
     */
    public record Config(String host, int port, Path certFile, Path keyFile, Path socket,
                         Supplier<Optional<String>> ownIdentity) {
        /** Checks for nulls and the port's range. */
        public Config {
            requireNonNull(host, "host is null");
            requireNonNull(certFile, "certFile is null");
            requireNonNull(keyFile, "keyFile is null");
            requireNonNull(socket, "socket is null");
            requireNonNull(ownIdentity, "ownIdentity is null");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    private UiProxy(Server server, ServerConnector connector, TaskSocket api, String host) {
        this.server = server;
        this.connector = connector;
        this.api = api;
        this.host = host;
    }

    /**
     * @param config what to serve and where
     * @return the proxy, listening
     * @throws IOException when the certificate cannot be read or the address cannot be bound
     */
    public static UiProxy start(Config config) throws IOException {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(PemKeyStore.load(config.certFile(), config.keyFile()));
        tls.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // An operator's certificate may name the host differently from how a browser on the host reaches it.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("ui-proxy");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        TaskSocket api = new TaskSocket(config.socket());
        server.setHandler(new UiHandler(new ApiForwarder(api), new SessionRoutes(api, config.ownIdentity()),
                new StaticFiles()));
        try {
            server.start();
        } catch (Exception e) {
            api.close();
            stopQuietly(server);
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
                    e);
        }
        return new UiProxy(server, connector, api, config.host());
    }

    /** @return the address browsers open: {@code https://host:port/} */
    public URI url() {
        String shown = host.contains(":") ? "[" + host + "]" : host.equals("0.0.0.0") ? "127.0.0.1" : host;
        return URI.create("https://" + shown + ":" + connector.getLocalPort() + "/");
    }

    /** @return the socket it forwards to */
    public Path socket() {
        return api.socket();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        stopQuietly(server);
        api.close();
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing left to do about it
        }
    }
}
