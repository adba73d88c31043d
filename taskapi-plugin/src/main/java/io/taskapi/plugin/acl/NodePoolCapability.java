package io.taskapi.plugin.acl;

import java.util.Optional;

/**
 * What a token may do with a node pool ({@code node_pool "…" { … }}). {@link #DENY} is not an operation.
 */
public enum NodePoolCapability implements Capability {
    /** {@code delete}. */
    DELETE,
    /** {@code deny}. */
    DENY,
    /** {@code read}. */
    READ,
    /** {@code write}. */
    WRITE;

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<NodePoolCapability> fromWireName(String wireName) {
        return Capability.fromWireName(NodePoolCapability.class, wireName);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
