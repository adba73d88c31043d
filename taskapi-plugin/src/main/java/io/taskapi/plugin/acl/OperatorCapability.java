package io.taskapi.plugin.acl;

import java.util.Optional;

/**
 * Fine-grained operator capabilities ({@code operator { capabilities = [...] }}). {@link #DENY} is not an
 * operation.
 */
public enum OperatorCapability implements Capability {
    /** {@code deny}. */
    DENY,
    /** {@code snapshot-save}. */
    SNAPSHOT_SAVE,
    /** {@code license-read}. */
    LICENSE_READ,
    /** {@code keyring-rotate}. */
    KEYRING_ROTATE,
    /** {@code keyring-read}. */
    KEYRING_READ,
    /** {@code keyring-delete}. */
    KEYRING_DELETE;

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<OperatorCapability> fromWireName(String wireName) {
        return Capability.fromWireName(OperatorCapability.class, wireName);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
