package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Fine-grained Sentinel capabilities ({@code sentinel { capabilities = [...] }}; Nomad Enterprise). {@link
 * #DENY} is not an operation.
 */
public enum SentinelCapability implements Capability {
    /** {@code deny}. */
    DENY("deny"),
    /** {@code sentinel-read}. */
    SENTINEL_READ("sentinel-read"),
    /** {@code sentinel-submit}. */
    SENTINEL_SUBMIT("sentinel-submit"),
    /** {@code sentinel-delete}. */
    SENTINEL_DELETE("sentinel-delete");

    private static final Map<String, SentinelCapability> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(SentinelCapability::wireName, Function.identity()));

    private final String wireName;

    SentinelCapability(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<SentinelCapability> fromWireName(String wireName) {
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
