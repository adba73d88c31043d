package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.AgentState;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VariableKeyring;
import io.taskapi.spi.state.VariableStore;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The stores the plugin uses: the agent's own where it passed them, the embedded ones for the rest, and the variable
 * keyring (always the plugin's, whichever store holds the ciphertexts).
 *
 * @param aclTokens the ACL tokens
 * @param aclPolicies the ACL policies
 * @param aclRoles the ACL roles
 * @param aclAuthMethods the ACL auth methods and binding rules
 * @param nodeMetadata the node metadata
 * @param variables the variables' ciphertexts
 * @param keyring the variable keys
 */
public record StateStores(AclTokenStore aclTokens, AclPolicyStore aclPolicies, AclRoleStore aclRoles,
                          AclAuthMethodStore aclAuthMethods, NodeMetadataStore nodeMetadata,
                          VariableStore variables, VariableKeyring keyring) {
    /**
     * Checks that nothing is missing.
     *
     * @param aclTokens see the record component of that name
     * @param aclPolicies see the record component of that name
     * @param aclRoles see the record component of that name
     * @param aclAuthMethods see the record component of that name
     * @param nodeMetadata see the record component of that name
     * @param variables see the record component of that name
     * @param keyring see the record component of that name
     */
    public StateStores {
        requireNonNull(aclTokens, "aclTokens is null");
        requireNonNull(aclPolicies, "aclPolicies is null");
        requireNonNull(aclRoles, "aclRoles is null");
        requireNonNull(aclAuthMethods, "aclAuthMethods is null");
        requireNonNull(nodeMetadata, "nodeMetadata is null");
        requireNonNull(variables, "variables is null");
        requireNonNull(keyring, "keyring is null");
    }

    /**
     * The index the API's answers start from, so that the indexes a store put in its records (a variable's
     * {@code ModifyIndex}) are never above the index of an answer.
     *
     * @return the embedded database's index when one of the stores is embedded; 0 otherwise
     * @throws StateUnavailableException when the database cannot answer
     */
    public long embeddedIndex() throws StateUnavailableException {
        Optional<EmbeddedDatabase> database = Stream.of(
                        aclTokens instanceof EmbeddedAclTokenStore store ? store.database() : null,
                        aclPolicies instanceof EmbeddedAclPolicyStore store ? store.database() : null,
                        aclRoles instanceof EmbeddedAclRoleStore store ? store.database() : null,
                        aclAuthMethods instanceof EmbeddedAclAuthMethodStore store ? store.database() : null,
                        nodeMetadata instanceof EmbeddedNodeMetadataStore store ? store.database() : null,
                        variables instanceof EmbeddedVariableStore store ? store.database() : null)
                .filter(Objects::nonNull).findFirst();
        return database.isPresent() ? database.get().currentIndex() : 0;
    }

    /**
     * Opens what the plugin keeps itself: the embedded database when the agent left a store out, and the keyring.
     * The explicit start step for state, so that no injector provider opens a file. An agent that keeps its own
     * tokens and policies but passes no role or auth method store (one written for SPI 1.1) and sets no
     * {@code state.data-dir} gets none: those lists are empty and writes answer 503, instead of the plugin not
     * starting.
     *
     * @param agent the agent's state
     * @param embedded the embedded store; the caller closes it
     * @return the stores
     * @throws IllegalStateException when the embedded store is needed and cannot be opened
     */
    public static StateStores open(AgentState agent, EmbeddedState embedded) {
        requireNonNull(agent, "agent is null");
        requireNonNull(embedded, "embedded is null");
        return new StateStores(
                agent.aclTokens().orElseGet(embedded::aclTokens),
                agent.aclPolicies().orElseGet(embedded::aclPolicies),
                agent.aclRoles().orElseGet(() -> embeddedOrAbsent(agent, embedded)
                        ? embedded.aclRoles() : new AbsentAclRoleStore()),
                agent.aclAuthMethods().orElseGet(() -> embeddedOrAbsent(agent, embedded)
                        ? embedded.aclAuthMethods() : new AbsentAclAuthMethodStore()),
                agent.nodeMetadata().orElseGet(embedded::nodeMetadata),
                agent.variables().orElseGet(embedded::variables),
                agent.variableKeys().orElseGet(embedded::keyring));
    }

    /** Whether a store the agent left out is the embedded one (true) or absent (false; see {@link #open}). */
    private static boolean embeddedOrAbsent(AgentState agent, EmbeddedState embedded) {
        return embedded.hasDataDir() || agent.aclTokens().isEmpty() || agent.aclPolicies().isEmpty();
    }
}
