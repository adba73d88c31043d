package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.taskapi.plugin.api.AclTokenSelfRoute;
import io.taskapi.plugin.api.AgentHealthRoute;
import io.taskapi.plugin.auth.AclTokenVerifier;
import io.taskapi.plugin.auth.IdentityVerifier;
import io.taskapi.plugin.auth.WorkloadIdentityVerifier;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.http.JsonErrorHandler;
import io.taskapi.plugin.http.JsonResponses;
import io.taskapi.plugin.http.ObjectMappers;
import io.taskapi.plugin.http.TaskApiHandler;
import io.taskapi.plugin.socket.GetentUserDirectory;
import io.taskapi.plugin.socket.OwnershipChanger;
import io.taskapi.plugin.socket.PosixOwnershipChanger;
import io.taskapi.plugin.socket.UnixSocketConnector;
import io.taskapi.plugin.socket.UserDirectory;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import java.time.Clock;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The plugin's wiring. Private to the plugin: agents reach it only through {@link TaskApiPlugin}. Identity verifiers
 * and routes are multibinder sets, so adding one is a binding here and a class, nothing else.
 */
public final class TaskApiModule extends AbstractModule {
    private final TaskApiConfig config;
    private final AgentState state;
    private final Clock clock;

    /**
     * @param config the plugin's settings
     * @param state the agent's state
     * @param clock the time source for token checks
     */
    public TaskApiModule(TaskApiConfig config, AgentState state, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();

        bind(TaskApiConfig.class).toInstance(config);
        bind(Clock.class).toInstance(clock);
        bind(AclTokenStore.class).toInstance(state.aclTokens());
        bind(IdentityKeyStore.class).toInstance(state.identityKeys());
        bind(AllocationRegistry.class).toInstance(state.allocations());

        Multibinder<IdentityVerifier> verifiers = Multibinder.newSetBinder(binder(), IdentityVerifier.class);
        verifiers.addBinding().to(AclTokenVerifier.class);
        verifiers.addBinding().to(WorkloadIdentityVerifier.class);

        Multibinder<ApiRoute> routes = Multibinder.newSetBinder(binder(), ApiRoute.class);
        routes.addBinding().to(AgentHealthRoute.class);
        routes.addBinding().to(AclTokenSelfRoute.class);

        bind(UserDirectory.class).to(GetentUserDirectory.class);
        bind(OwnershipChanger.class).to(PosixOwnershipChanger.class);

        // Everything below is one instance per agent.
        for (Class<?> type : new Class<?>[] {
            io.taskapi.plugin.auth.TokenExtractor.class,
            io.taskapi.plugin.auth.AuthenticationGate.class,
            io.taskapi.plugin.auth.VerifiedIdentityCache.class,
            AclTokenVerifier.class,
            WorkloadIdentityVerifier.class,
            AgentHealthRoute.class,
            AclTokenSelfRoute.class,
            GetentUserDirectory.class,
            PosixOwnershipChanger.class,
            io.taskapi.plugin.http.Router.class,
            JsonResponses.class,
            TaskApiHandler.class,
            io.taskapi.plugin.socket.SocketPlacer.class,
            io.taskapi.plugin.socket.TaskSocketRegistry.class,
            TaskApiServer.class,
        }) {
            bind(type).in(Singleton.class);
        }
    }

    @Provides
    @Singleton
    ObjectMapper objectMapper() {
        return ObjectMappers.create();
    }

    @Provides
    @Singleton
    Server server(TaskApiHandler handler, JsonResponses json) {
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), config.minThreads());
        threads.setName("taskapi-http");
        Server server = new Server(threads);
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler(json));
        server.setStopTimeout(5_000);
        return server;
    }

    @Provides
    @Singleton
    UnixSocketConnector connector(Server server) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Room for the longest accepted credential plus ordinary headers, so an over-long token is refused by the
        // gate with a reason (403) rather than by the parser.
        http.setRequestHeaderSize(2 * config.maxTokenLength());
        UnixSocketConnector connector = new UnixSocketConnector(server, new HttpConnectionFactory(http));
        server.addConnector(connector);
        return connector;
    }
}
