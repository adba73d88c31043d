package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a token may do with a node pool ({@code node_pool "…" { … }}). {@link #DENY} is not an operation.
 */
public enum NodePoolCapability implements Capability {
    /** {@code delete}. */
    DELETE("delete"),
    /** {@code deny}. */
    DENY("deny"),
    /** {@code read}. */
    READ("read"),
    /** {@code write}. */
    WRITE("write");

    private static final Map<String, NodePoolCapability> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(NodePoolCapability::wireName, Function.identity()));

    private final String wireName;

    NodePoolCapability(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<NodePoolCapability> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(requireNonNull(wireName, "wireName is null")));
    }

    @Override
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
