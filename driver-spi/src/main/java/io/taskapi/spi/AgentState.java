package io.taskapi.spi;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.VariableKeyring;
import io.taskapi.spi.state.VariableStore;
import java.util.Optional;

/**
 * The agent-side state the plugin reads and writes through. Each part may be local or a shared replicated store: no
 * method assumes it is cheap or local, and each may fail with {@link io.taskapi.spi.state.StateUnavailableException}.
 *
 * <p>What only the agent can know is required: its allocations, its nodes, and the keys that verify the identities it
 * hands out. The stores the API writes (ACL tokens, policies, roles, auth methods and binding rules, node metadata,
 * variables, and the keyring variables are encrypted with) are optional: the plugin keeps any that are left out in
 * its embedded, durable store under the {@code state.data-dir} setting.
 */
public final class AgentState {
    private final AllocationRegistry allocations;
    private final NodeRegistry nodes;
    private final IdentityKeyStore identityKeys;
    private final AclTokenStore aclTokens;
    private final AclPolicyStore aclPolicies;
    private final AclRoleStore aclRoles;
    private final AclAuthMethodStore aclAuthMethods;
    private final NodeMetadataStore nodeMetadata;
    private final VariableStore variables;
    private final VariableKeyring variableKeys;
    private final AgentStateIndex storeIndex;

    private AgentState(Builder builder) {
        this.allocations = requireNonNull(builder.allocations, "allocations are required");
        this.nodes = requireNonNull(builder.nodes, "nodes are required");
        this.identityKeys = requireNonNull(builder.identityKeys, "identityKeys are required");
        this.aclTokens = builder.aclTokens;
        this.aclPolicies = builder.aclPolicies;
        this.aclRoles = builder.aclRoles;
        this.aclAuthMethods = builder.aclAuthMethods;
        this.nodeMetadata = builder.nodeMetadata;
        this.variables = builder.variables;
        this.variableKeys = builder.variableKeys;
        this.storeIndex = builder.storeIndex;
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return whether each allocation is live */
    public AllocationRegistry allocations() {
        return allocations;
    }

    /** @return the client nodes the agent knows, its own among them */
    public NodeRegistry nodes() {
        return nodes;
    }

    /** @return the keys that verify workload identities */
    public IdentityKeyStore identityKeys() {
        return identityKeys;
    }

    /** @return the agent's ACL token store, or empty for the plugin's embedded one */
    public Optional<AclTokenStore> aclTokens() {
        return Optional.ofNullable(aclTokens);
    }

    /** @return the agent's ACL policy store, or empty for the plugin's embedded one */
    public Optional<AclPolicyStore> aclPolicies() {
        return Optional.ofNullable(aclPolicies);
    }

    /**
     * @return the agent's ACL role store, or empty for the plugin's embedded one
     * @since SPI 1.2
     */
    public Optional<AclRoleStore> aclRoles() {
        return Optional.ofNullable(aclRoles);
    }

    /**
     * @return the agent's store of ACL auth methods and binding rules, or empty for the plugin's embedded one
     * @since SPI 1.2
     */
    public Optional<AclAuthMethodStore> aclAuthMethods() {
        return Optional.ofNullable(aclAuthMethods);
    }

    /** @return the agent's node metadata store, or empty for the plugin's embedded one */
    public Optional<NodeMetadataStore> nodeMetadata() {
        return Optional.ofNullable(nodeMetadata);
    }

    /** @return the agent's variable store, or empty for the plugin's embedded one */
    public Optional<VariableStore> variables() {
        return Optional.ofNullable(variables);
    }

    /**
     * @return the agent's variable keyring, or empty for the plugin's file keyring
     * @since SPI 1.3
     */
    public Optional<VariableKeyring> variableKeys() {
        return Optional.ofNullable(variableKeys);
    }

    /**
     * @return the index of the agent's own stores, or empty when they have none the plugin should follow
     * @since SPI 1.3
     */
    public Optional<AgentStateIndex> storeIndex() {
        return Optional.ofNullable(storeIndex);
    }

    /** Collects the parts of an {@link AgentState}. */
    public static final class Builder {
        private AllocationRegistry allocations;
        private NodeRegistry nodes;
        private IdentityKeyStore identityKeys;
        private AclTokenStore aclTokens;
        private AclPolicyStore aclPolicies;
        private AclRoleStore aclRoles;
        private AclAuthMethodStore aclAuthMethods;
        private NodeMetadataStore nodeMetadata;
        private VariableStore variables;
        private VariableKeyring variableKeys;
        private AgentStateIndex storeIndex;

        private Builder() {}

        /**
         * @param allocations whether each allocation is live (required)
         * @return this builder
         */
        public Builder allocations(AllocationRegistry allocations) {
            this.allocations = requireNonNull(allocations, "allocations is null");
            return this;
        }

        /**
         * @param nodes the nodes the agent knows (required)
         * @return this builder
         */
        public Builder nodes(NodeRegistry nodes) {
            this.nodes = requireNonNull(nodes, "nodes is null");
            return this;
        }

        /**
         * @param identityKeys the keys that verify workload identities (required)
         * @return this builder
         */
        public Builder identityKeys(IdentityKeyStore identityKeys) {
            this.identityKeys = requireNonNull(identityKeys, "identityKeys is null");
            return this;
        }

        /**
         * @param aclTokens the agent's ACL tokens, instead of the embedded store
         * @return this builder
         */
        public Builder aclTokens(AclTokenStore aclTokens) {
            this.aclTokens = requireNonNull(aclTokens, "aclTokens is null");
            return this;
        }

        /**
         * @param aclPolicies the agent's ACL policies, instead of the embedded store
         * @return this builder
         */
        public Builder aclPolicies(AclPolicyStore aclPolicies) {
            this.aclPolicies = requireNonNull(aclPolicies, "aclPolicies is null");
            return this;
        }

        /**
         * @param aclRoles the agent's ACL roles, instead of the embedded store
         * @return this builder
         * @since SPI 1.2
         */
        public Builder aclRoles(AclRoleStore aclRoles) {
            this.aclRoles = requireNonNull(aclRoles, "aclRoles is null");
            return this;
        }

        /**
         * @param aclAuthMethods the agent's ACL auth methods and binding rules, instead of the embedded store
         * @return this builder
         * @since SPI 1.2
         */
        public Builder aclAuthMethods(AclAuthMethodStore aclAuthMethods) {
            this.aclAuthMethods = requireNonNull(aclAuthMethods, "aclAuthMethods is null");
            return this;
        }

        /**
         * @param nodeMetadata the agent's dynamic node metadata, instead of the embedded store
         * @return this builder
         */
        public Builder nodeMetadata(NodeMetadataStore nodeMetadata) {
            this.nodeMetadata = requireNonNull(nodeMetadata, "nodeMetadata is null");
            return this;
        }

        /**
         * @param variables the agent's variables, instead of the embedded store
         * @return this builder
         */
        public Builder variables(VariableStore variables) {
            this.variables = requireNonNull(variables, "variables is null");
            return this;
        }

        /**
         * @param variableKeys the keys variables are encrypted with, instead of the plugin's file keyring (an agent
         *     that shares its variable store between machines shares these too)
         * @return this builder
         * @since SPI 1.3
         */
        public Builder variableKeys(VariableKeyring variableKeys) {
            this.variableKeys = requireNonNull(variableKeys, "variableKeys is null");
            return this;
        }

        /**
         * The index the agent's stores number their records with (their {@code ModifyIndex} space, for example a
         * replicated store's revision), so that the plugin's {@code X-Nomad-Index} for the parts those stores hold is
         * theirs, and a change made elsewhere (another agent of the cluster) wakes the blocking queries here.
         *
         * @param storeIndex the index, reporting every change of any of the agent's stores
         * @return this builder
         * @since SPI 1.3
         */
        public Builder storeIndex(AgentStateIndex storeIndex) {
            this.storeIndex = requireNonNull(storeIndex, "storeIndex is null");
            return this;
        }

        /**
         * @return the state
         * @throws NullPointerException when a required part is missing
         */
        public AgentState build() {
            return new AgentState(this);
        }
    }
}
