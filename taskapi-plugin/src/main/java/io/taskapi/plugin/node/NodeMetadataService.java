package io.taskapi.plugin.node;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and changes nodes' metadata. A change is written to the store (durable) before it is reported, and changes
 * to one agent's metadata are applied one at a time so that none is lost between read and write.
 */
public final class NodeMetadataService {
    private final NodeRegistry nodes;
    private final NodeMetadataStore store;
    private final Object writeLock = new Object();

    /**
     * @param nodes the static side
     * @param store the dynamic side
     */
    @Inject
    public NodeMetadataService(NodeRegistry nodes, NodeMetadataStore store) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.store = requireNonNull(store, "store is null");
    }

    /** @return the id of this agent's node */
    public String localNodeId() {
        return nodes.localNodeId();
    }

    /**
     * @param node a node
     * @return its metadata
     * @throws StateUnavailableException when the store cannot answer
     */
    public NodeMetadata read(NodeInfo node) throws StateUnavailableException {
        return NodeMetadata.of(node.staticMeta(), store.read(node.id()));
    }

    /**
     * Applies Nomad's rule: a value sets a key; an empty value removes a dynamic key, and for a static key records a
     * tombstone that hides it.
     *
     * @param node the node
     * @param changes key to new value, or empty to delete
     * @return the metadata after the change, once it is durable
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    public NodeMetadata apply(NodeInfo node, Map<String, Optional<String>> changes)
            throws StateUnavailableException {
        synchronized (writeLock) {
            Map<String, Optional<String>> dynamic = new HashMap<>(store.read(node.id()));
            changes.forEach((key, value) -> {
                if (value.isPresent()) {
                    dynamic.put(key, value);
                } else if (node.staticMeta().containsKey(key)) {
                    dynamic.put(key, Optional.empty());
                } else {
                    dynamic.remove(key);
                }
            });
            store.write(node.id(), dynamic);
            return NodeMetadata.of(node.staticMeta(), dynamic);
        }
    }
}
