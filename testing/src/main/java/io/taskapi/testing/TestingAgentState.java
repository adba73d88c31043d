package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.AgentState;
import java.time.Clock;

/**
 * The in-memory state an agent hands the plugin, bundled: what the agent must provide (allocations, nodes, identity
 * keys) and the stores it may provide (ACL tokens, policies, roles, auth methods and binding rules, node metadata,
 * variables).
 *
 * <pre>{@code
 * TestingAgentState state = TestingAgentState.forIssuer(issuer);
 * try (TaskApi api = provider.start(AgentContext.builder(state.agentState()).config(config).build())) { ... }
 * state.setUnavailable(true);   // every lookup now fails: expect 503, never 200
 * }</pre>
 *
 * <p>{@link #agentState()} hands over every store; {@link #agentStateWithEmbeddedStores()} only the required parts,
 * so that the plugin keeps ACLs, metadata and variables in its own embedded store (under {@code state.data-dir}).
 */
public final class TestingAgentState {
    private final InMemoryAclTokenStore tokens;
    private final InMemoryAclPolicyStore policies;
    private final InMemoryIdentityKeyStore keys;
    private final InMemoryAllocationRegistry allocations;
    private final InMemoryNodeRegistry nodes;
    private final InMemoryNodeMetadataStore nodeMetadata;
    private final InMemoryVariableStore variables;
    private final InMemoryAclRoleStore roles = new InMemoryAclRoleStore();
    private final InMemoryAclAuthMethodStore authMethods = new InMemoryAclAuthMethodStore();
    private final AgentState agentState;
    private final AgentState withEmbeddedStores;

    /**
     * @param tokens ACL tokens
     * @param policies ACL policies
     * @param keys the identity keyring
     * @param allocations allocation liveness
     * @param nodes the known nodes
     * @param nodeMetadata dynamic node metadata
     * @param variables encrypted variables
     */
    public TestingAgentState(InMemoryAclTokenStore tokens, InMemoryAclPolicyStore policies,
                             InMemoryIdentityKeyStore keys, InMemoryAllocationRegistry allocations,
                             InMemoryNodeRegistry nodes, InMemoryNodeMetadataStore nodeMetadata,
                             InMemoryVariableStore variables) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.allocations = requireNonNull(allocations, "allocations is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.nodeMetadata = requireNonNull(nodeMetadata, "nodeMetadata is null");
        this.variables = requireNonNull(variables, "variables is null");
        this.withEmbeddedStores = AgentState.builder().allocations(allocations).nodes(nodes).identityKeys(keys)
                .build();
        this.agentState = AgentState.builder().allocations(allocations).nodes(nodes).identityKeys(keys)
                .aclTokens(tokens).aclPolicies(policies).aclRoles(roles).aclAuthMethods(authMethods)
                .nodeMetadata(nodeMetadata).variables(variables).build();
    }

    /** @return empty stores (no tokens, no keys, no live allocations) and one local node */
    public static TestingAgentState create() {
        return create(Clock.systemUTC(), new InMemoryIdentityKeyStore());
    }

    /**
     * @param issuer an issuer
     * @return empty stores but for the keys the issuer publishes now, and one local node; tokens and variables are
     *     created at the issuer's clock
     */
    public static TestingAgentState forIssuer(TestingIdentityIssuer issuer) {
        requireNonNull(issuer, "issuer is null");
        return create(issuer.clock(), InMemoryIdentityKeyStore.from(issuer));
    }

    private static TestingAgentState create(Clock clock, InMemoryIdentityKeyStore keys) {
        return new TestingAgentState(new InMemoryAclTokenStore(clock), new InMemoryAclPolicyStore(), keys,
                new InMemoryAllocationRegistry(), new InMemoryNodeRegistry(), new InMemoryNodeMetadataStore(),
                new InMemoryVariableStore(clock));
    }

    /** @return the SPI view with every in-memory store, to pass in an {@link io.taskapi.spi.AgentContext} */
    public AgentState agentState() {
        return agentState;
    }

    /**
     * @return the SPI view with the required parts only (allocations, nodes, identity keys): the plugin uses its
     *     embedded store for the rest, and the in-memory token, policy, metadata and variable stores here go unused
     */
    public AgentState agentStateWithEmbeddedStores() {
        return withEmbeddedStores;
    }

    /** @return the ACL tokens */
    public InMemoryAclTokenStore tokens() {
        return tokens;
    }

    /** @return the ACL policies */
    public InMemoryAclPolicyStore policies() {
        return policies;
    }

    /** @return the ACL roles */
    public InMemoryAclRoleStore roles() {
        return roles;
    }

    /** @return the ACL auth methods and binding rules */
    public InMemoryAclAuthMethodStore authMethods() {
        return authMethods;
    }

    /** @return the identity keyring */
    public InMemoryIdentityKeyStore keys() {
        return keys;
    }

    /** @return allocation liveness */
    public InMemoryAllocationRegistry allocations() {
        return allocations;
    }

    /** @return the known nodes */
    public InMemoryNodeRegistry nodes() {
        return nodes;
    }

    /** @return dynamic node metadata */
    public InMemoryNodeMetadataStore nodeMetadata() {
        return nodeMetadata;
    }

    /** @return encrypted variables */
    public InMemoryVariableStore variables() {
        return variables;
    }

    /** @param unavailable whether every store fails from now on */
    public void setUnavailable(boolean unavailable) {
        tokens.faults().setUnavailable(unavailable);
        policies.faults().setUnavailable(unavailable);
        roles.faults().setUnavailable(unavailable);
        authMethods.faults().setUnavailable(unavailable);
        keys.faults().setUnavailable(unavailable);
        allocations.faults().setUnavailable(unavailable);
        nodes.faults().setUnavailable(unavailable);
        nodeMetadata.faults().setUnavailable(unavailable);
        variables.faults().setUnavailable(unavailable);
    }

    @Override
    public String toString() {
        return "TestingAgentState[" + tokens + ", " + policies + ", " + keys + ", " + allocations + ", " + nodes
                + ", " + nodeMetadata + ", " + variables + "]";
    }
}
