package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A variable with its items in plaintext: made only to answer a caller allowed to read it, never stored or logged.
 *
 * @param namespace its namespace
 * @param path its path
 * @param createIndex the store's index of its first write
 * @param modifyIndex the store's index of its last write
 * @param createTime when it was first written
 * @param modifyTime when it was last written
 * @param items its items, sorted by key
 */
record DecryptedVariable(String namespace, String path, long createIndex, long modifyIndex, Instant createTime,
                         Instant modifyTime, Map<String, String> items) {
    DecryptedVariable {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(modifyTime, "modifyTime is null");
        items = Map.copyOf(requireNonNull(items, "items is null"));
    }

    /** Names the variable and its item keys, never a value: records print every component by default. */
    @Override
    public String toString() {
        return "DecryptedVariable[" + namespace + "/" + path + ", modifyIndex=" + modifyIndex + ", keys="
                + new java.util.TreeSet<>(items.keySet()) + "]";
    }
}
