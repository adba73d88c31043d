package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;

/**
 * A variable as the store keeps it: its items are encrypted by the plugin before they reach the store, so a store
 * (and its backups) never holds plaintext.
 *
 * @param namespace the namespace
 * @param path the variable's path
 * @param keyId the id of the key that encrypted it
 * @param ciphertext the encrypted items (nonce and ciphertext, as the plugin lays them out)
 * @param createIndex the store's index of the first write (0 before it is stored)
 * @param modifyIndex the store's index of the last write (0 before it is stored)
 * @param createTime when it was first written
 * @param modifyTime when it was last written
 */
public record StoredVariable(String namespace, String path, String keyId, byte[] ciphertext, long createIndex,
                             long modifyIndex, Instant createTime, Instant modifyTime) {
    /**
     * Copies the ciphertext and checks that nothing is missing.
     *
     * @param namespace see the record component of that name
     * @param path see the record component of that name
     * @param keyId see the record component of that name
     * @param ciphertext see the record component of that name
     * @param createIndex see the record component of that name
     * @param modifyIndex see the record component of that name
     * @param createTime see the record component of that name
     * @param modifyTime see the record component of that name
     */
    public StoredVariable {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        requireNonNull(keyId, "keyId is null");
        ciphertext = requireNonNull(ciphertext, "ciphertext is null").clone();
        requireNonNull(createTime, "createTime is null");
        requireNonNull(modifyTime, "modifyTime is null");
    }

    /** @return a copy of the ciphertext */
    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /**
     * @param createIndex the index of the first write
     * @param modifyIndex the index of this write
     * @param createTime when it was first written
     * @param modifyTime when it was last written
     * @return this variable with the store's indexes and times
     */
    public StoredVariable stored(long createIndex, long modifyIndex, Instant createTime, Instant modifyTime) {
        return new StoredVariable(namespace, path, keyId, ciphertext, createIndex, modifyIndex, createTime,
                modifyTime);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredVariable that && namespace.equals(that.namespace) && path.equals(that.path)
                && keyId.equals(that.keyId) && Arrays.equals(ciphertext, that.ciphertext)
                && createIndex == that.createIndex && modifyIndex == that.modifyIndex
                && createTime.equals(that.createTime) && modifyTime.equals(that.modifyTime);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * namespace.hashCode() + path.hashCode()) + Long.hashCode(modifyIndex);
    }

    @Override
    public String toString() {
        return "StoredVariable[namespace=" + namespace + ", path=" + path + ", keyId=" + keyId + ", ciphertext="
                + ciphertext.length + " bytes, createIndex=" + createIndex + ", modifyIndex=" + modifyIndex + "]";
    }
}
