package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.taskapi.plugin.api.AgentHealthRoute;
import io.taskapi.plugin.api.AgentRouteAdapter;
import io.taskapi.plugin.api.AgentSelfRoute;
import io.taskapi.plugin.api.JwksRoute;
import io.taskapi.plugin.api.MetricsRoute;
import io.taskapi.plugin.api.acl.AclBootstrapRoute;
import io.taskapi.plugin.api.acl.AclPolicyDeleteRoute;
import io.taskapi.plugin.api.acl.AclPolicyListRoute;
import io.taskapi.plugin.api.acl.AclPolicyReadRoute;
import io.taskapi.plugin.api.acl.AclPolicyWriteRoute;
import io.taskapi.plugin.api.acl.AclPolicyWriter;
import io.taskapi.plugin.api.acl.AclTokenCreateRoute;
import io.taskapi.plugin.api.acl.AclTokenDeleteRoute;
import io.taskapi.plugin.api.acl.AclTokenListRoute;
import io.taskapi.plugin.api.acl.AclTokenReadRoute;
import io.taskapi.plugin.api.acl.AclTokenSelfRoute;
import io.taskapi.plugin.api.acl.AclTokenUpdateRoute;
import io.taskapi.plugin.api.acl.AclTokenWriter;
import io.taskapi.plugin.api.node.ClientMetadataApplyRoute;
import io.taskapi.plugin.api.node.ClientMetadataReadRoute;
import io.taskapi.plugin.api.node.NodeListRoute;
import io.taskapi.plugin.api.node.NodeReadRoute;
import io.taskapi.plugin.api.variables.SecretDeleteRoute;
import io.taskapi.plugin.api.variables.SecretReadRoute;
import io.taskapi.plugin.api.variables.SecretWriteRoute;
import io.taskapi.plugin.api.variables.VariableDeleteRoute;
import io.taskapi.plugin.api.variables.VariableListRoute;
import io.taskapi.plugin.api.variables.VariableReadRoute;
import io.taskapi.plugin.api.variables.VariableWriteRoute;
import io.taskapi.plugin.node.NodeRecords;
import io.taskapi.plugin.api.node.NodeResolver;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.node.NodeMetadataService;
import io.taskapi.plugin.auth.AclTokenVerifier;
import io.taskapi.plugin.auth.IdentityVerifier;
import io.taskapi.plugin.auth.WorkloadIdentityVerifier;
import io.taskapi.plugin.config.AclConfig;
import io.taskapi.plugin.config.AuthConfig;
import io.taskapi.plugin.config.HttpConfig;
import io.taskapi.plugin.config.StateConfig;
import io.taskapi.plugin.config.SocketConfig;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.limits.ConnectionLimiter;
import io.taskapi.plugin.limits.RateLimiter;
import io.taskapi.plugin.limits.RequestHeadDeadline;
import io.taskapi.plugin.execution.WorkerLanes;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.metrics.AuditLog;
import io.taskapi.plugin.state.EmbeddedState;
import io.taskapi.plugin.state.VariableCipher;
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
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.VariableStore;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The plugin's wiring. Private to the plugin: agents reach it only through {@link TaskApiPlugin}. Identity verifiers
 * and routes are multibinder sets, so adding one is a binding here and a class, nothing else.
 */
public final class TaskApiModule extends AbstractModule {
    /** The name of the operator listener's connector. */
    public static final String OPERATOR_CONNECTOR = "operator";
    // The I/O pool never runs a request that may block, so its size does not grow with the load.
    private static final int IO_THREADS = 16;

    private final TaskApiConfig config;
    private final AgentState state;
    private final Clock clock;
    private final List<AgentRoute> agentRoutes;

    /**
     * @param config the plugin's settings
     * @param state the agent's state
     * @param clock the time source for token checks
     * @param agentRoutes routes the agent adds
     */
    public TaskApiModule(TaskApiConfig config, AgentState state, Clock clock, List<AgentRoute> agentRoutes) {
        this.config = requireNonNull(config, "config is null");
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.agentRoutes = List.copyOf(requireNonNull(agentRoutes, "agentRoutes is null"));
    }

    /**
     * @param config the plugin's settings
     * @param state the agent's state
     * @param clock the time source for token checks
     */
    public TaskApiModule(TaskApiConfig config, AgentState state, Clock clock) {
        this(config, state, clock, List.of());
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();

        bind(TaskApiConfig.class).toInstance(config);
        bind(SocketConfig.class).toInstance(config.socket());
        bind(AuthConfig.class).toInstance(config.auth());
        bind(AclConfig.class).toInstance(config.acl());
        bind(StateConfig.class).toInstance(config.state());
        bind(HttpConfig.class).toInstance(config.http());
        bind(Clock.class).toInstance(clock);
        bind(IdentityKeyStore.class).toInstance(state.identityKeys());
        bind(AllocationRegistry.class).toInstance(state.allocations());
        bind(NodeRegistry.class).toInstance(state.nodes());

        Multibinder<IdentityVerifier> verifiers = Multibinder.newSetBinder(binder(), IdentityVerifier.class);
        verifiers.addBinding().to(AclTokenVerifier.class);
        verifiers.addBinding().to(WorkloadIdentityVerifier.class);

        Multibinder<ApiRoute> routes = Multibinder.newSetBinder(binder(), ApiRoute.class);
        for (Class<? extends ApiRoute> route : List.of(
                AgentHealthRoute.class,
                AgentSelfRoute.class,
                MetricsRoute.class,
                JwksRoute.class,
                AclBootstrapRoute.class,
                AclTokenSelfRoute.class,
                AclTokenListRoute.class,
                AclTokenReadRoute.class,
                AclTokenUpdateRoute.class,
                AclTokenDeleteRoute.class,
                AclPolicyListRoute.class,
                AclPolicyReadRoute.class,
                AclPolicyDeleteRoute.class,
                ClientMetadataReadRoute.class,
                ClientMetadataApplyRoute.class,
                VariableListRoute.class,
                VariableReadRoute.class,
                VariableWriteRoute.Put.class,
                VariableWriteRoute.Post.class,
                VariableDeleteRoute.class,
                SecretReadRoute.class,
                SecretWriteRoute.Post.class,
                SecretWriteRoute.Put.class,
                SecretDeleteRoute.class,
                NodeListRoute.class,
                NodeReadRoute.class)) {
            routes.addBinding().to(route);
            bind(route).in(Singleton.class);
        }
        for (AgentRoute route : agentRoutes) {
            routes.addBinding().toInstance(new AgentRouteAdapter(route));
        }

        bind(UserDirectory.class).to(GetentUserDirectory.class);
        bind(OwnershipChanger.class).to(PosixOwnershipChanger.class);

        // Everything below is one instance per agent.
        for (Class<?> type : new Class<?>[] {
            io.taskapi.plugin.auth.TokenExtractor.class,
            io.taskapi.plugin.auth.AuthenticationGate.class,
            io.taskapi.plugin.auth.VerifiedIdentityCache.class,
            AclTokenVerifier.class,
            WorkloadIdentityVerifier.class,
            AclTokenWriter.class,
            AclPolicyWriter.class,
            AclResolver.class,
            NodeResolver.class,
            NodeMetadataService.class,
            NodeRecords.class,
            EmbeddedState.class,
            RateLimiter.class,
            WorkerLanes.class,
            io.taskapi.plugin.http.BodyReader.class,
            ApiMetrics.class,
            AuditLog.class,
            ConnectionLimiter.class,
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

    @ProvidesIntoSet
    ApiRoute tokenCreate(AclTokenWriter writer) {
        return new AclTokenCreateRoute("/v1/acl/token", writer);
    }

    @ProvidesIntoSet
    ApiRoute tokensCreate(AclTokenWriter writer) {
        return new AclTokenCreateRoute("/v1/acl/tokens", writer);
    }

    @ProvidesIntoSet
    ApiRoute policyPost(AclPolicyWriter writer) {
        return new AclPolicyWriteRoute("POST", writer);
    }

    @ProvidesIntoSet
    ApiRoute policyPut(AclPolicyWriter writer) {
        return new AclPolicyWriteRoute("PUT", writer);
    }

    // The agent's own stores when it passed them, else the embedded store under state.data-dir.

    @Provides
    @Singleton
    AclTokenStore aclTokens(EmbeddedState embedded) {
        return state.aclTokens().orElseGet(embedded::aclTokens);
    }

    @Provides
    @Singleton
    AclPolicyStore aclPolicies(EmbeddedState embedded) {
        return state.aclPolicies().orElseGet(embedded::aclPolicies);
    }

    @Provides
    @Singleton
    NodeMetadataStore nodeMetadata(EmbeddedState embedded) {
        return state.nodeMetadata().orElseGet(embedded::nodeMetadata);
    }

    @Provides
    @Singleton
    VariableStore variables(EmbeddedState embedded) {
        return state.variables().orElseGet(embedded::variables);
    }

    /** Variables are encrypted by the plugin whichever store holds them, with the keyring in state.data-dir. */
    @Provides
    @Singleton
    VariableCipher variableCipher(EmbeddedState embedded) {
        return embedded.cipher();
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
        QueuedThreadPool threads = new QueuedThreadPool(IO_THREADS, Math.min(config.http().minThreads(), IO_THREADS));
        threads.setName("taskapi-http");
        Server server = new Server(threads);
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler(json));
        server.setStopTimeout(5_000);
        server.addBean(lanes, true);
        server.addBean(new RequestHeadDeadline(server, config.http()), true);
        config.http().operatorAddress().ifPresent(address -> {
            // The operator listener: the same routes and chain, no peer check, and token-less requests get the
            // anonymous policy. Plain HTTP: for a dev agent, or behind a TLS-terminating proxy.
            ServerConnector operator = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration()));
            operator.setName(OPERATOR_CONNECTOR);
            operator.setHost(address.host());
            operator.setPort(address.port());
            operator.setIdleTimeout(config.http().idleTimeout().toMillis());
            operator.addEventListener(connections);
            server.addConnector(operator);
        });
        return server;
    }

    @Provides
    @Singleton
    UnixSocketConnector connector(Server server, ConnectionLimiter connections) {
        UnixSocketConnector connector = new UnixSocketConnector(server, connections,
                new HttpConnectionFactory(httpConfiguration()));
        connector.setIdleTimeout(config.http().idleTimeout().toMillis());
        server.addConnector(connector);
        return connector;
    }

    private HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Room for the longest accepted credential plus ordinary headers, so an over-long token is refused by the
        // gate with a reason (403) rather than by the parser.
        http.setRequestHeaderSize(config.http().maxHeaderBytes());
        return http;
    }
}
