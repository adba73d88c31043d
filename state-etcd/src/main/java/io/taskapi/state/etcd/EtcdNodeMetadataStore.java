package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.Map;
import java.util.Optional;

/** Nodes' dynamic metadata in etcd ({@code node-meta/<node id>}, values and tombstones), read from memory. */
public final class EtcdNodeMetadataStore implements NodeMetadataStore {
    private final EtcdState state;
    private final WatchedPrefix<Map<String, Optional<String>>> cache;

    EtcdNodeMetadataStore(EtcdState state) {
        this.state = state;
        this.cache = state.cache("node metadata", KeyLayout.NODE_META,
                (key, value, create, modify) -> Codec.metadata(value), null);
    }

    @Override
    public Map<String, Optional<String>> read(String nodeId) throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        return cache.get(nodeId).orElse(Map.of());
    }

    @Override
    public void write(String nodeId, Map<String, Optional<String>> dynamicMetadata)
            throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        // Map.copyOf refuses null keys and values before anything is written.
        Map<String, Optional<String>> copy = Map.copyOf(requireNonNull(dynamicMetadata, "dynamicMetadata is null"));
        long revision = state.write("write node metadata", () -> state.client().getKVClient()
                .put(state.layout().key(KeyLayout.NODE_META + nodeId), Codec.metadata(copy))).getHeader()
                .getRevision();
        cache.awaitOwnWrite(revision);
    }

    @Override
    public String toString() {
        return "EtcdNodeMetadataStore[" + cache + "]";
    }
}
