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
 *
 * <p>This agent's own node's dynamic metadata is read from the store once and then kept here, updated by every change
 * once it is durable: the agent is the only writer of its node's client metadata (in Nomad, too, it belongs to the
 * client), so reading it never needs the store and never blocks.
 */
public final class NodeMetadataService {
    private final NodeRegistry nodes;
    private final NodeMetadataStore store;
    private final Object writeLock = new Object();
    private volatile Map<String, Optional<String>> local; // null until first read; written under writeLock
    private volatile Merged localMerged; // the last merge of this agent's node, reused while its inputs are the same

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
        Map<String, Optional<String>> dynamic = dynamic(node.id());
        Merged merged = localMerged;
        // The same instances, not equal ones: a write replaces the map, and the registry a changed node.
        if (merged != null && merged.node() == node && merged.dynamic() == dynamic) {
            return merged.metadata();
        }
        NodeMetadata metadata = NodeMetadata.of(node.staticMeta(), dynamic);
        if (dynamic == local) {
            localMerged = new Merged(node, dynamic, metadata);
        }
        return metadata;
    }

    /**
     * @param nodeId a node id
     * @return whether reading its metadata is answered from memory
     */
    public boolean inMemory(String nodeId) {
        return local != null && nodeId.equals(nodes.localNodeId());
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
            Map<String, Optional<String>> dynamic = new HashMap<>(dynamic(node.id()));
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
            if (node.id().equals(nodes.localNodeId())) {
                local = Map.copyOf(dynamic);
            }
            return NodeMetadata.of(node.staticMeta(), dynamic);
        }
    }

    private Map<String, Optional<String>> dynamic(String nodeId) throws StateUnavailableException {
        if (!nodeId.equals(nodes.localNodeId())) {
            return store.read(nodeId);
        }
        Map<String, Optional<String>> known = local;
        if (known != null) {
            return known;
        }
        synchronized (writeLock) {
            // Under the write lock: a read that raced with a write must not keep what the write replaced.
            if (local == null) {
                local = Map.copyOf(store.read(nodeId));
            }
            return local;
        }
    }

    private record Merged(NodeInfo node, Map<String, Optional<String>> dynamic, NodeMetadata metadata) {}
}
