package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.matcher.Matchers;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.lifecycle.LifecycleListener;
import io.taskapi.plugin.node.NodeMetadataService;
import io.taskapi.plugin.node.NodeRecords;
import io.taskapi.plugin.state.StateStores;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.api.TaskExecutor;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The plugin's wiring, one module per concern: {@link StateModule}, {@link SocketModule}, {@link AuthModule},
 * {@link AclModule}, {@link HttpServerModule}, and the routes per API area ({@link ApiRoutesModule}). Private to the
 * plugin: agents reach it only through {@link TaskApiPlugin}. Every {@link AutoCloseable} the injector creates is
 * registered with the {@link Lifecycle} as it is created, and closed, in reverse, when the Task API stops.
 */
public final class TaskApiModule extends AbstractModule {
    private final TaskApiConfig config;
    private final AgentState state;
    private final StateStores stores;
    private final Clock clock;
    private final List<AgentRoute> agentRoutes;
    private final Optional<TaskExecutor> exec;
    private final Lifecycle lifecycle;
    private final Optional<AgentStateIndex> agentIndex;

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
        this(config, state, stores, clock, agentRoutes, Optional.empty(), Optional.empty(), lifecycle);
    }

    /**
     * @param config the plugin's settings
     * @param state the agent's state
     * @param stores the stores, opened by the start step ({@link StateStores#open})
     * @param clock the time source for token checks
     * @param agentRoutes routes the agent adds
     * @param agentIndex the index of the state the agent's routes serve, if it gave one (its blocking routes need it)
     * @param exec the agent's way into its tasks for {@code alloc exec}, if it offers one
     * @param lifecycle where what the injector creates is registered, to be closed when the Task API stops
     */
    public TaskApiModule(TaskApiConfig config, AgentState state, StateStores stores, Clock clock,
                         List<AgentRoute> agentRoutes, Optional<AgentStateIndex> agentIndex,
                         Optional<TaskExecutor> exec, Lifecycle lifecycle) {
        this.agentIndex = requireNonNull(agentIndex, "agentIndex is null");
        this.config = requireNonNull(config, "config is null");
        this.state = requireNonNull(state, "state is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.agentRoutes = List.copyOf(requireNonNull(agentRoutes, "agentRoutes is null"));
        this.exec = requireNonNull(exec, "exec is null");
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
        install(new StateModule(state, stores, agentIndex));
        install(new SocketModule(config.socket()));
        install(new AuthModule(config.auth()));
        install(new AclModule(config.acl()));
        install(new HttpServerModule(config.http()));

        // The API's routes, one group per area.
        install(new ApiRoutesModule(agentRoutes, agentIndex.isPresent(), exec));

        // Node records, which the node routes and the metadata routes share; one instance per agent.
        bind(NodeMetadataService.class).in(Singleton.class);
        bind(NodeRecords.class).in(Singleton.class);
        bind(TaskApiServer.class).in(Singleton.class);
    }
}
