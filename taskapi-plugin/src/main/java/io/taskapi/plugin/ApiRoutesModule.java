package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.taskapi.plugin.api.AgentAddedRoutes;
import io.taskapi.plugin.api.AgentInfoRoutes;
import io.taskapi.plugin.api.acl.AclAuthMethodRoutes;
import io.taskapi.plugin.api.acl.AclLoginRoutes;
import io.taskapi.plugin.api.acl.AclPolicyRoutes;
import io.taskapi.plugin.api.acl.AclPolicyWriter;
import io.taskapi.plugin.api.acl.AclRoleRoutes;
import io.taskapi.plugin.api.acl.AclTokenRoutes;
import io.taskapi.plugin.api.acl.AclTokenWriter;
import io.taskapi.plugin.api.exec.AllocExecRoutes;
import io.taskapi.plugin.api.node.NodeResolver;
import io.taskapi.plugin.api.node.NodeRoutes;
import io.taskapi.plugin.api.variables.SecretRoutes;
import io.taskapi.plugin.api.variables.VariableRoutes;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.TaskExecutor;
import java.util.List;
import java.util.Optional;

/**
 * The API's routes, one {@link RouteGroup} per area, in the multibinder set the router reads: the agent's own
 * (health, self, metrics, key set), ACL tokens, ACL policies, nodes and client metadata, variables, secrets, and the
 * routes the agent adds through the SPI. A new route goes into its area's group; a new area is a group bound here.
 * Here, not in {@code api}, so that the areas' packages depend on {@code api}'s shared parts and not the reverse.
 */
final class ApiRoutesModule extends AbstractModule {
    private final List<AgentRoute> agentRoutes;
    private final boolean agentIndexed;
    private final Optional<TaskExecutor> exec;

    /**
     * @param agentRoutes the routes the agent adds
     * @param agentIndexed whether the agent gave its state index (its blocking routes need it)
     * @param exec the agent's way into its tasks for {@code alloc exec}, if it offers one
     */
    ApiRoutesModule(List<AgentRoute> agentRoutes, boolean agentIndexed, Optional<TaskExecutor> exec) {
        this.agentRoutes = List.copyOf(requireNonNull(agentRoutes, "agentRoutes is null"));
        this.agentIndexed = agentIndexed;
        this.exec = requireNonNull(exec, "exec is null");
    }

    @Override
    protected void configure() {
        Multibinder<RouteGroup> groups = Multibinder.newSetBinder(binder(), RouteGroup.class);
        for (Class<? extends RouteGroup> group : List.of(
                AgentInfoRoutes.class,
                AclTokenRoutes.class,
                AclPolicyRoutes.class,
                AclRoleRoutes.class,
                AclAuthMethodRoutes.class,
                AclLoginRoutes.class,
                NodeRoutes.class,
                VariableRoutes.class,
                SecretRoutes.class)) {
            groups.addBinding().to(group);
            bind(group).in(Singleton.class);
        }
        groups.addBinding().toInstance(new AgentAddedRoutes(agentRoutes, agentIndexed));
        groups.addBinding().to(AllocExecRoutes.class);

        // What the groups share within an area.
        bind(AclTokenWriter.class).in(Singleton.class);
        bind(AclPolicyWriter.class).in(Singleton.class);
        bind(NodeResolver.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    AllocExecRoutes allocExecRoutes(ObjectMapper mapper) {
        return new AllocExecRoutes(exec, mapper);
    }
}
