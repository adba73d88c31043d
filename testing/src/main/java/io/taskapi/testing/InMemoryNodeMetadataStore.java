package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dynamic node metadata in memory, for tests. Thread-safe: a write replaces a node's map whole.
 *
 * <p>{@code faults().setUnavailable(true)} makes {@link #read} and {@link #write} throw
 * {@link StateUnavailableException}; {@link #metadata(String)} and {@link #clear()} keep working.
 *
 * <pre>{@code
 * InMemoryNodeMetadataStore metadata = new InMemoryNodeMetadataStore();
 * metadata.write(nodeId, Map.of("rack", Optional.of("r2"), "env", Optional.empty()));   // set one, delete a static one
 * }</pre>
 */
public final class InMemoryNodeMetadataStore implements NodeMetadataStore {
    private final ConcurrentMap<String, Map<String, Optional<String>>> metadata = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final StoreFaults faults = new StoreFaults("the node metadata store");

    /** An empty store. */
    public InMemoryNodeMetadataStore() {}

    /**
     * {@inheritDoc}
     *
     * @return the keys in order, an empty {@link Optional} for a tombstone; unmodifiable
     */
    @Override
    public Map<String, Optional<String>> read(String nodeId) throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        faults.lookup();
        return metadata(nodeId);
    }

    @Override
    public void write(String nodeId, Map<String, Optional<String>> dynamicMetadata)
            throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(dynamicMetadata, "dynamicMetadata is null");
        Map<String, Optional<String>> copy = new TreeMap<>();
        dynamicMetadata.forEach((key, value) -> copy.put(requireNonNull(key, "a metadata key is null"),
                requireNonNull(value, "the value of metadata key " + key + " is null: use Optional.empty()")));
        faults.write();
        metadata.put(nodeId, Collections.unmodifiableMap(copy));
        writes.incrementAndGet();
    }

    /**
     * @param nodeId a node id
     * @return its dynamic metadata; works while unavailable and is not counted
     */
    public Map<String, Optional<String>> metadata(String nodeId) {
        return metadata.getOrDefault(requireNonNull(nodeId, "nodeId is null"), Map.of());
    }

    /** Forgets every node's metadata. */
    public void clear() {
        metadata.clear();
    }

    /** @return how many {@link #write} calls succeeded */
    public long writeCount() {
        return writes.get();
    }

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "InMemoryNodeMetadataStore[nodes=" + metadata.keySet() + ", unavailable=" + faults.isUnavailable() + "]";
    }
}
