package io.taskapi.plugin.acl;

import java.util.Optional;

/**
 * What a token may do with a host volume ({@code host_volume "…" { … }}). {@link #DENY} is not an operation.
 */
public enum HostVolumeCapability implements Capability {
    /** {@code deny}. */
    DENY,
    /** {@code mount-readonly}. */
    MOUNT_READONLY,
    /** {@code mount-readwrite}. */
    MOUNT_READWRITE;

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<HostVolumeCapability> fromWireName(String wireName) {
        return Capability.fromWireName(HostVolumeCapability.class, wireName);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
