package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The client nodes an agent knows, in memory, for tests. Thread-safe.
 *
 * <p>By default it knows one node, the local one: a random UUID id, name {@value #DEFAULT_NAME}, datacenter
 * {@value #DEFAULT_DATACENTER}, pool {@value #DEFAULT_POOL}, no class, status {@code ready}, the attributes in
 * {@link #DEFAULT_ATTRIBUTES} and the static metadata in {@link #DEFAULT_STATIC_META}. Tests add, replace and remove
 * nodes ({@link #put}, {@link #remove}); the local node can be replaced but not removed, and its id never changes.
 * {@link #list()} is sorted by id, as Nomad lists nodes.
 *
 * <p>{@code faults().setUnavailable(true)} makes {@link #list()} and {@link #find} throw {@link StateUnavailableException};
 * {@link #localNodeId()} always answers.
 *
 * <pre>{@code
 * InMemoryNodeRegistry nodes = new InMemoryNodeRegistry();
 * nodes.put(InMemoryNodeRegistry.node("worker-2"));   // another node
 * NodeInfo local = nodes.localNode();
 * nodes.put(new NodeInfo(local.id(), local.name(), local.datacenter(), local.nodePool(), "gpu", "down",
 *         local.attributes(), local.staticMeta()));     // the local node changes
 * }</pre>
 */
public final class InMemoryNodeRegistry implements NodeRegistry {
    /** The local node's default name. */
    public static final String DEFAULT_NAME = "test-node";
    /** The default datacenter. */
    public static final String DEFAULT_DATACENTER = "dc1";
    /** The default node pool. */
    public static final String DEFAULT_POOL = "default";
    /** The default status. */
    public static final String DEFAULT_STATUS = "ready";
    /** The default fingerprinted attributes. */
    public static final Map<String, String> DEFAULT_ATTRIBUTES = Map.of(
            "kernel.name", "linux",
            "os.name", "debian",
            "cpu.arch", "amd64",
            "nomad.version", "1.10.0",
            "driver.testing", "1");
    /** The default static metadata (from the agent's configuration). */
    public static final Map<String, String> DEFAULT_STATIC_META = Map.of(
            "rack", "r1",
            "env", "test");

    private final String localNodeId;
    private final Object lock = new Object();
    // id -> node; guarded by lock
    private final TreeMap<String, NodeInfo> nodes = new TreeMap<>();
    private final StoreFaults faults = new StoreFaults("the node registry");

    /** A registry that knows one local node with the defaults. */
    public InMemoryNodeRegistry() {
        this(node(DEFAULT_NAME));
    }

    /** @param localNode the local node */
    public InMemoryNodeRegistry(NodeInfo localNode) {
        requireNonNull(localNode, "localNode is null");
        this.localNodeId = localNode.id();
        nodes.put(localNode.id(), localNode);
    }

    /**
     * @param name a node name
     * @return a node with a random UUID id, that name and the defaults
     */
    public static NodeInfo node(String name) {
        return new NodeInfo(UUID.randomUUID().toString(), requireNonNull(name, "name is null"), DEFAULT_DATACENTER,
                DEFAULT_POOL, "", DEFAULT_STATUS, DEFAULT_ATTRIBUTES, DEFAULT_STATIC_META);
    }

    // ---- the SPI

    @Override
    public String localNodeId() {
        return localNodeId;
    }

    @Override
    public List<NodeInfo> list() throws StateUnavailableException {
        faults.lookup();
        return nodes();
    }

    @Override
    public Optional<NodeInfo> find(String nodeId) throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        faults.lookup();
        synchronized (lock) {
            return Optional.ofNullable(nodes.get(nodeId));
        }
    }

    // ---- the test's side door

    /** @return the local node as it is now */
    public NodeInfo localNode() {
        synchronized (lock) {
            return nodes.get(localNodeId);
        }
    }

    /**
     * Adds a node, or replaces the one with the same id (the local node included).
     *
     * @param node the node
     */
    public void put(NodeInfo node) {
        requireNonNull(node, "node is null");
        synchronized (lock) {
            nodes.put(node.id(), node);
        }
    }

    /**
     * @param nodeId a node that is not the local one
     * @return whether it was known
     * @throws IllegalArgumentException for the local node
     */
    public boolean remove(String nodeId) {
        requireNonNull(nodeId, "nodeId is null");
        if (nodeId.equals(localNodeId)) {
            throw new IllegalArgumentException("the local node cannot be removed");
        }
        synchronized (lock) {
            return nodes.remove(nodeId) != null;
        }
    }

    /** @return every node, sorted by id; works while unavailable and is not counted */
    public List<NodeInfo> nodes() {
        synchronized (lock) {
            return List.copyOf(nodes.values());
        }
    }

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "InMemoryNodeRegistry[local=" + localNodeId + ", nodes=" + nodes().size() + ", unavailable="
                + faults.isUnavailable() + "]";
    }
}
