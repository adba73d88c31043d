package io.taskapi.plugin.acl;

import java.util.Optional;

/**
 * What a token may do with the variables under a path ({@code variables { path "…" { capabilities = [...] } }}).
 * {@link #DENY} is not an operation.
 */
public enum VariableCapability implements Capability {
    /** {@code list}. */
    LIST,
    /** {@code read}. */
    READ,
    /** {@code write}. */
    WRITE,
    /** {@code destroy}. */
    DESTROY,
    /** {@code deny}. */
    DENY;

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<VariableCapability> fromWireName(String wireName) {
        return Capability.fromWireName(VariableCapability.class, wireName);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
