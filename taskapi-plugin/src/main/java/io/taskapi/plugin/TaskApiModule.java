package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.matcher.Matchers;
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
import io.taskapi.plugin.api.node.NodeResolver;
import io.taskapi.plugin.api.variables.SecretDeleteRoute;
import io.taskapi.plugin.api.variables.SecretReadRoute;
import io.taskapi.plugin.api.variables.SecretWriteRoute;
import io.taskapi.plugin.api.variables.VariableDeleteRoute;
import io.taskapi.plugin.api.variables.VariableListRoute;
import io.taskapi.plugin.api.variables.VariableReadRoute;
import io.taskapi.plugin.api.variables.VariableWriteRoute;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.lifecycle.LifecycleListener;
import io.taskapi.plugin.node.NodeMetadataService;
import io.taskapi.plugin.node.NodeRecords;
import io.taskapi.plugin.state.StateStores;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.api.AgentRoute;
import java.time.Clock;
import java.util.List;

/**
 * The plugin's wiring, one module per concern: {@link StateModule}, {@link SocketModule}, {@link AuthModule},
 * {@link AclModule}, {@link HttpServerModule}; the routes are bound here. Private to the plugin: agents reach it only
 * through {@link TaskApiPlugin}. Every {@link AutoCloseable} the injector creates is registered with the
 * {@link Lifecycle} as it is created, and closed, in reverse, when the Task API stops.
 */
public final class TaskApiModule extends AbstractModule {
    private final TaskApiConfig config;
    private final AgentState state;
    private final StateStores stores;
    private final Clock clock;
    private final List<AgentRoute> agentRoutes;
    private final Lifecycle lifecycle;

    /**
     * @param config the plugin's settings
     * @param state the agent's state
     * @param stores the stores, opened by the start step ({@link StateStores#open})
     * @param clock the time source for token checks
     * @param agentRoutes routes the agent adds
     * @param lifecycle where what the injector creates is registered, to be closed when the Task API stops
     */
    public TaskApiModule(TaskApiConfig config, AgentState state, StateStores stores, Clock clock,
                         List<AgentRoute> agentRoutes, Lifecycle lifecycle) {
        this.config = requireNonNull(config, "config is null");
        this.state = requireNonNull(state, "state is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.agentRoutes = List.copyOf(requireNonNull(agentRoutes, "agentRoutes is null"));
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bind(Lifecycle.class).toInstance(lifecycle);
        bindListener(Matchers.any(), new LifecycleListener(lifecycle));

        bind(TaskApiConfig.class).toInstance(config);
        bind(Clock.class).toInstance(clock);
        install(new StateModule(state, stores));
        install(new SocketModule(config.socket()));
        install(new AuthModule(config.auth()));
        install(new AclModule(config.acl()));
        install(new HttpServerModule(config.http()));

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

        // What the routes use; one instance per agent.
        for (Class<?> type : new Class<?>[] {
            AclTokenWriter.class,
            AclPolicyWriter.class,
            NodeResolver.class,
            NodeMetadataService.class,
            NodeRecords.class,
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
}
