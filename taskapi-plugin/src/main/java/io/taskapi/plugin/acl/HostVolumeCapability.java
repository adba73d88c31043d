package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a token may do with a host volume ({@code host_volume "…" { … }}). {@link #DENY} is not an operation.
 */
public enum HostVolumeCapability implements Capability {
    /** {@code deny}. */
    DENY("deny"),
    /** {@code mount-readonly}. */
    MOUNT_READONLY("mount-readonly"),
    /** {@code mount-readwrite}. */
    MOUNT_READWRITE("mount-readwrite");

    private static final Map<String, HostVolumeCapability> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(HostVolumeCapability::wireName, Function.identity()));

    private final String wireName;

    HostVolumeCapability(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<HostVolumeCapability> fromWireName(String wireName) {
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
