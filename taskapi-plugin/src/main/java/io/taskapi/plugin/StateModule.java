package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.taskapi.plugin.api.variables.EncryptedVariables;
import io.taskapi.plugin.http.QueryIndex;
import io.taskapi.plugin.http.Watch;
import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.state.StateStores;
import io.taskapi.plugin.state.VariableCipher;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VariableKeyring;
import io.taskapi.spi.state.VariableStore;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * State: the agent's registries, and the stores the start step opened ({@link StateStores#open}). Binds only
 * instances and side-effect-free singletons: no file is opened here.
 */
final class StateModule extends AbstractModule {
    private final AgentState agent;
    private final StateStores stores;
    private final Optional<AgentStateIndex> agentIndex;

    StateModule(AgentState agent, StateStores stores, Optional<AgentStateIndex> agentIndex) {
        this.agent = requireNonNull(agent, "agent is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.agentIndex = requireNonNull(agentIndex, "agentIndex is null");
    }

    @Override
    protected void configure() {
        bind(IdentityKeyStore.class).toInstance(agent.identityKeys());
        bind(AllocationRegistry.class).toInstance(agent.allocations());
        bind(NodeRegistry.class).toInstance(agent.nodes());
        bind(AclTokenStore.class).toInstance(stores.aclTokens());
        bind(AclPolicyStore.class).toInstance(stores.aclPolicies());
        bind(AclRoleStore.class).toInstance(stores.aclRoles());
        bind(AclAuthMethodStore.class).toInstance(stores.aclAuthMethods());
        bind(NodeMetadataStore.class).toInstance(stores.nodeMetadata());
        bind(VariableStore.class).toInstance(stores.variables());
        // Variables are encrypted by the plugin whichever store holds them: with the agent's keyring, or the file
        // keyring in state.data-dir.
        bind(VariableKeyring.class).toInstance(stores.keyring());
        bind(VariableCipher.class).in(Singleton.class);
        bind(EncryptedVariables.class).in(Singleton.class);
    }

    /**
     * The index of the state, for the query metadata and blocking queries: it starts at the embedded database's, and
     * hears of the changes the stores report themselves (ACL tokens and policies, which change outside the API too:
     * a token's expiry, another replica). The agent's jobs and allocations follow the agent's own state index when
     * it gave one (every change it reports wakes the queries of its blocking routes); otherwise the plugin moves
     * their index on allocations that end and on the writes through the agent's routes. The chain records the writes
     * made through the API.
     */
    @Provides
    @Singleton
    QueryIndex queryIndex(Lifecycle lifecycle) {
        QueryIndex index = new QueryIndex();
        try {
            index.raiseTo(stores.embeddedIndex());
        } catch (StateUnavailableException e) {
            throw new IllegalStateException("cannot read the embedded state's index: " + e.getMessage(), e);
        }
        lifecycle.register("the ACL token index", stores.aclTokens().onChange(
                () -> index.changed(Watch.ACL_TOKENS, 0)));
        lifecycle.register("the ACL policy index", stores.aclPolicies().onChange(
                () -> index.changed(Watch.ACL_POLICIES, 0)));
        lifecycle.register("the ACL role index", stores.aclRoles().onChange(
                () -> index.changed(Watch.ACL_ROLES, 0)));
        lifecycle.register("the ACL auth method index", stores.aclAuthMethods().onChange(
                () -> index.changed(Watch.ACL_AUTH_METHODS, 0)));
        if (agent.storeIndex().isPresent()) {
            // The agent's stores number their records themselves (a cluster's etcd revision): the parts they hold
            // follow that index, so that every agent of the cluster answers the same X-Nomad-Index.
            AgentStateIndex storeIndex = agent.storeIndex().get();
            Set<Watch> held = storeHeldWatches();
            lifecycle.register("the agent's store index", storeIndex.onChange(
                    changed -> held.forEach(watch -> index.follow(watch, changed))));
            held.forEach(watch -> index.follow(watch, storeIndex.index()));
        }
        if (agentIndex.isPresent()) {
            // Subscribed before reading, so that a change in between is not lost.
            lifecycle.register("the agent's state index", agentIndex.get().onChange(
                    changed -> index.follow(Watch.AGENT, changed)));
            index.follow(Watch.AGENT, agentIndex.get().index());
        } else {
            lifecycle.register("the allocation index", agent.allocations().onAllocationEnded(
                    allocation -> index.changed(Watch.AGENT, 0)));
        }
        return index;
    }

    /** The parts of the state held in the agent's own stores rather than the embedded one. */
    private Set<Watch> storeHeldWatches() {
        Set<Watch> held = EnumSet.of(Watch.NODES);
        agent.nodeMetadata().ifPresent(store -> held.add(Watch.NODE_METADATA));
        agent.variables().ifPresent(store -> held.add(Watch.VARIABLES));
        agent.aclTokens().ifPresent(store -> held.add(Watch.ACL_TOKENS));
        agent.aclPolicies().ifPresent(store -> held.add(Watch.ACL_POLICIES));
        agent.aclRoles().ifPresent(store -> held.add(Watch.ACL_ROLES));
        agent.aclAuthMethods().ifPresent(store -> held.add(Watch.ACL_AUTH_METHODS));
        return Collections.unmodifiableSet(held);
    }
}
