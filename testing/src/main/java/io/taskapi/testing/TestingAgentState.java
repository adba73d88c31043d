package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.AgentState;

/**
 * The three in-memory stores an agent hands the plugin, bundled.
 *
 * <pre>{@code
 * TestingAgentState state = TestingAgentState.forIssuer(issuer);
 * try (TaskApi api = provider.start(new AgentContext(config, state.agentState()))) { ... }
 * state.setUnavailable(true);   // every lookup now fails: expect 503, never 200
 * }</pre>
 */
public final class TestingAgentState {
    private final InMemoryAclTokenStore tokens;
    private final InMemoryIdentityKeyStore keys;
    private final InMemoryAllocationRegistry allocations;
    private final AgentState agentState;

    /**
     * @param tokens ACL tokens
     * @param keys the identity keyring
     * @param allocations allocation liveness
     */
    public TestingAgentState(InMemoryAclTokenStore tokens, InMemoryIdentityKeyStore keys,
                             InMemoryAllocationRegistry allocations) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.allocations = requireNonNull(allocations, "allocations is null");
        this.agentState = new AgentState(tokens, keys, allocations);
    }

    /** @return empty stores: no tokens, no keys, no live allocations */
    public static TestingAgentState create() {
        return new TestingAgentState(new InMemoryAclTokenStore(), new InMemoryIdentityKeyStore(),
                new InMemoryAllocationRegistry());
    }

    /**
     * @param issuer an issuer
     * @return empty stores but for the keys the issuer publishes now; tokens are created at the issuer's clock
     */
    public static TestingAgentState forIssuer(TestingIdentityIssuer issuer) {
        requireNonNull(issuer, "issuer is null");
        return new TestingAgentState(new InMemoryAclTokenStore(issuer.clock()), InMemoryIdentityKeyStore.from(issuer),
                new InMemoryAllocationRegistry());
    }

    /** @return the SPI view to pass in an {@link io.taskapi.spi.AgentContext} */
    public AgentState agentState() {
        return agentState;
    }

    /** @return the ACL tokens */
    public InMemoryAclTokenStore tokens() {
        return tokens;
    }

    /** @return the identity keyring */
    public InMemoryIdentityKeyStore keys() {
        return keys;
    }

    /** @return allocation liveness */
    public InMemoryAllocationRegistry allocations() {
        return allocations;
    }

    /** @param unavailable whether all three stores fail from now on */
    public void setUnavailable(boolean unavailable) {
        tokens.setUnavailable(unavailable);
        keys.setUnavailable(unavailable);
        allocations.setUnavailable(unavailable);
    }

    @Override
    public String toString() {
        return "TestingAgentState[" + tokens + ", " + keys + ", " + allocations + "]";
    }
}
