package io.taskapi.plugin.acl;

import java.util.Optional;

/**
 * Fine-grained Sentinel capabilities ({@code sentinel { capabilities = [...] }}; Nomad Enterprise). {@link
 * #DENY} is not an operation.
 */
public enum SentinelCapability implements Capability {
    /** {@code deny}. */
    DENY,
    /** {@code sentinel-read}. */
    SENTINEL_READ,
    /** {@code sentinel-submit}. */
    SENTINEL_SUBMIT,
    /** {@code sentinel-delete}. */
    SENTINEL_DELETE;

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<SentinelCapability> fromWireName(String wireName) {
        return Capability.fromWireName(SentinelCapability.class, wireName);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
