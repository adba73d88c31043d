package io.taskapi.spi;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.IdentityKeyStore;

/**
 * The agent-side state the plugin reads through. Each part may be local or a shared replicated store: no method
 * assumes it is cheap or local, and each may fail with {@link io.taskapi.spi.state.StateUnavailableException}.
 *
 * @param aclTokens ACL tokens by secret
 * @param identityKeys the public keys that verify workload identities
 * @param allocations whether an allocation is still live
 */
public record AgentState(AclTokenStore aclTokens, IdentityKeyStore identityKeys, AllocationRegistry allocations) {
    /**
     * Checks that every part is present.
     *
     * @param aclTokens see the record component of that name
     * @param identityKeys see the record component of that name
     * @param allocations see the record component of that name
     */
    public AgentState {
        requireNonNull(aclTokens, "aclTokens is null");
        requireNonNull(identityKeys, "identityKeys is null");
        requireNonNull(allocations, "allocations is null");
    }
}
