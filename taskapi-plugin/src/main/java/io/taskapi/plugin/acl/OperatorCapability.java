package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Fine-grained operator capabilities ({@code operator { capabilities = [...] }}). {@link #DENY} is not an
 * operation.
 */
public enum OperatorCapability implements Capability {
    /** {@code deny}. */
    DENY("deny"),
    /** {@code snapshot-save}. */
    SNAPSHOT_SAVE("snapshot-save"),
    /** {@code license-read}. */
    LICENSE_READ("license-read"),
    /** {@code keyring-rotate}. */
    KEYRING_ROTATE("keyring-rotate"),
    /** {@code keyring-read}. */
    KEYRING_READ("keyring-read"),
    /** {@code keyring-delete}. */
    KEYRING_DELETE("keyring-delete");

    private static final Map<String, OperatorCapability> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(OperatorCapability::wireName, Function.identity()));

    private final String wireName;

    OperatorCapability(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<OperatorCapability> fromWireName(String wireName) {
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
