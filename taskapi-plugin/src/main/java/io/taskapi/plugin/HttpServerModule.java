package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.taskapi.plugin.config.HttpConfig;
import io.taskapi.plugin.config.OperatorTlsConfig;
import io.taskapi.plugin.execution.WorkerLanes;
import io.taskapi.plugin.http.BodyReader;
import io.taskapi.plugin.http.JsonErrorHandler;
import io.taskapi.plugin.http.JsonResponses;
import io.taskapi.plugin.http.ObjectMappers;
import io.taskapi.plugin.http.Router;
import io.taskapi.plugin.http.TaskApiHandler;
import io.taskapi.plugin.limits.ConnectionLimiter;
import io.taskapi.plugin.limits.RateLimiter;
import io.taskapi.plugin.limits.RequestHeadDeadline;
import io.taskapi.plugin.listener.OperatorAddress;
import io.taskapi.plugin.listener.OperatorConnector;
import io.taskapi.plugin.listener.OperatorTls;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.metrics.AuditLog;
import io.taskapi.plugin.socket.UnixSocketConnector;
import java.io.IOException;
import java.time.Duration;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The HTTP server: Jetty, its two kinds of listener, the request chain and what it uses (limits, worker lanes,
 * metrics, audit). The providers only build: nothing starts until the server does.
 */
final class HttpServerModule extends AbstractModule {
    // The I/O pool never runs a request that may block, so its size does not grow with the load.
    private static final int IO_THREADS = 16;

    private final HttpConfig config;

    HttpServerModule(HttpConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(HttpConfig.class).toInstance(config);
        bind(RateLimiter.class).in(Singleton.class);
        bind(ConnectionLimiter.class).in(Singleton.class);
        bind(WorkerLanes.class).in(Singleton.class);
        bind(BodyReader.class).in(Singleton.class);
        bind(ApiMetrics.class).in(Singleton.class);
        bind(AuditLog.class).in(Singleton.class);
        bind(Router.class).in(Singleton.class);
        bind(JsonResponses.class).in(Singleton.class);
        bind(TaskApiHandler.class).in(Singleton.class);
        bind(OperatorAddress.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    ObjectMapper objectMapper() {
        return ObjectMappers.create();
    }

    @Provides
    @Singleton
    Server server(TaskApiHandler handler, JsonResponses json, WorkerLanes lanes, ConnectionLimiter connections) {
        // Selectors, the scheduler and Jetty's own work only: requests that may block run on the WorkerLanes
        // (http.max-threads). Task sockets need four listener selectors and one per core, the operator listener two.
        QueuedThreadPool threads = new QueuedThreadPool(IO_THREADS, Math.min(config.minThreads(), IO_THREADS));
        threads.setName("taskapi-http");
        Server server = new Server(threads);
        server.setHandler(handler);
        // alloc exec's WebSockets: upgraded by the chain after its checks (WebSocketUpgrade), never by path mapping.
        // An interactive shell may sit idle for long: an hour without a frame either way ends it.
        ServerWebSocketContainer.ensure(server).setIdleTimeout(Duration.ofHours(1));
        server.setErrorHandler(new JsonErrorHandler(json));
        server.setStopTimeout(5_000);
        server.addBean(lanes, true);
        server.addBean(new RequestHeadDeadline(server, config), true);
        config.operatorAddress().ifPresent(address -> {
            OperatorConnector operator = config.operatorTls().isPresent()
                    ? new OperatorConnector(server, tls(server, config.operatorTls().get()),
                            new HttpConnectionFactory(httpsConfiguration()))
                    // Plain HTTP: for a dev agent, or behind a TLS-terminating proxy.
                    : new OperatorConnector(server, new HttpConnectionFactory(httpConfiguration()));
            operator.setHost(address.host());
            operator.setPort(address.port());
            operator.setIdleTimeout(config.idleTimeout().toMillis());
            operator.addEventListener(connections.operatorConnections());
            server.addConnector(operator);
        });
        return server;
    }

    @Provides
    @Singleton
    UnixSocketConnector connector(Server server, ConnectionLimiter connections) {
        UnixSocketConnector connector = new UnixSocketConnector(server, connections,
                new HttpConnectionFactory(httpConfiguration()));
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(connector);
        return connector;
    }

    private static SslConnectionFactory tls(Server server, OperatorTlsConfig tlsConfig) {
        try {
            OperatorTls tls = new OperatorTls(tlsConfig, server);
            server.addBean(tls, true);
            return new SslConnectionFactory(tls.contextFactory(), HttpVersion.HTTP_1_1.asString());
        } catch (IOException e) {
            throw new IllegalStateException("the operator listener's TLS files cannot be read: " + e.getMessage(), e);
        }
    }

    private HttpConfiguration httpsConfiguration() {
        HttpConfiguration https = httpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        return https;
    }

    private HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Room for the longest accepted credential plus ordinary headers, so an over-long token is refused by the
        // gate with a reason (403) rather than by the parser.
        http.setRequestHeaderSize(config.maxHeaderBytes());
        return http;
    }
}
