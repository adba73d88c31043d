package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a token may do with the variables under a path ({@code variables { path "…" { capabilities = [...] } }}).
 * {@link #DENY} is not an operation.
 */
public enum VariableCapability implements Capability {
    /** {@code list}. */
    LIST("list"),
    /** {@code read}. */
    READ("read"),
    /** {@code write}. */
    WRITE("write"),
    /** {@code destroy}. */
    DESTROY("destroy"),
    /** {@code deny}. */
    DENY("deny");

    private static final Map<String, VariableCapability> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(VariableCapability::wireName, Function.identity()));

    private final String wireName;

    VariableCapability(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<VariableCapability> fromWireName(String wireName) {
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
