package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every agent's node, from any agent. An agent registers its node ({@code nodes/<id>}) and keeps a key
 * {@code node-alive/<id>} under an etcd lease of {@code ttl}, renewed every third of it. When the agent dies or is
 * cut off, etcd lets the lease expire and deletes the key: every other agent then shows the node {@code down}
 * (within the TTL plus the watch's delay). When the agent reaches etcd again, it takes a new lease and the node is up
 * again. Closing the registry revokes the lease: a node that stops cleanly is down at once.
 */
public final class EtcdNodeRegistry implements NodeRegistry, AutoCloseable {
    /** The status of a node whose agent's lease expired. */
    public static final String DOWN = "down";

    private static final Logger LOG = LoggerFactory.getLogger(EtcdNodeRegistry.class);

    private final EtcdState state;
    private final Duration ttl;
    private final WatchedPrefix<NodeInfo> nodes;
    private final WatchedPrefix<Boolean> alive;
    private volatile NodeInfo local;
    private long leaseId;
    private volatile boolean closed;

    EtcdNodeRegistry(EtcdState state, NodeInfo local, Duration ttl, WatchedPrefix<Boolean> alive) {
        this.state = state;
        this.local = requireNonNull(local, "local is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        if (ttl.toSeconds() < 2) {
            throw new IllegalArgumentException("a node's TTL is at least 2 s (etcd's shortest lease): " + ttl);
        }
        this.nodes = state.cache("nodes", KeyLayout.NODES, (key, value, create, modify) -> Codec.node(value), null);
        this.alive = alive;
        state.schedule(this::keepAlive, 0);
    }

    @Override
    public String localNodeId() {
        return local.id();
    }

    @Override
    public List<NodeInfo> list() throws StateUnavailableException {
        List<NodeInfo> listed = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            listed.add(withLiveness(node));
        }
        return List.copyOf(listed);
    }

    @Override
    public Optional<NodeInfo> find(String nodeId) throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        Optional<NodeInfo> node = nodes.get(nodeId);
        return node.isEmpty() ? node : Optional.of(withLiveness(node.get()));
    }

    /**
     * @param nodeId a node id
     * @return whether its agent holds its lease now
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public boolean isAlive(String nodeId) throws StateUnavailableException {
        return alive.get(requireNonNull(nodeId, "nodeId is null")).isPresent();
    }

    /**
     * Tells the listener of every node that goes down (its lease expired or was revoked), by id.
     *
     * @param listener called with the node id; must be quick
     * @return closing it stops the notifications
     */
    public Subscription onNodeDown(Consumer<String> listener) {
        requireNonNull(listener, "listener is null");
        return alive.onKeyChange((id, before, after) -> {
            if (before != null && after == null) {
                listener.accept(id);
            }
        });
    }

    /**
     * Registers a new description of this agent's node (driver health changed, say).
     *
     * @param node the node, with this registry's id
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public void update(NodeInfo node) throws StateUnavailableException {
        requireNonNull(node, "node is null");
        if (!node.id().equals(local.id())) {
            throw new IllegalArgumentException("not this agent's node: " + node.id());
        }
        local = node;
        register();
    }

    private NodeInfo withLiveness(NodeInfo node) throws StateUnavailableException {
        if (alive.get(node.id()).isPresent()) {
            return node;
        }
        return new NodeInfo(node.id(), node.name(), node.datacenter(), node.nodePool(), node.nodeClass(), DOWN,
                node.attributes(), node.staticMeta(), node.drivers());
    }

    /** Renews the lease, or takes a new one and registers again when it expired; reschedules itself. */
    private void keepAlive() {
        if (closed) {
            return;
        }
        try {
            synchronized (this) {
                if (leaseId != 0) {
                    long id = leaseId;
                    LeaseKeepAliveResponse renewed = state.read("renew the node's lease",
                            () -> state.client().getLeaseClient().keepAliveOnce(id));
                    if (renewed.getTTL() <= 0) {
                        leaseId = 0;
                    }
                }
                if (leaseId == 0) {
                    LeaseGrantResponse granted = state.read("take a lease for the node",
                            () -> state.client().getLeaseClient().grant(ttl.toSeconds()));
                    leaseId = granted.getID();
                    register();
                }
            }
        } catch (StateUnavailableException e) {
            LOG.debug("cannot renew the node's lease: {}", e.getMessage());
            if (String.valueOf(e.getMessage()).contains("not found")) {
                synchronized (this) {
                    leaseId = 0;
                }
            }
        }
        state.schedule(this::keepAlive, Math.max(200, ttl.toMillis() / 3));
    }

    private synchronized void register() throws StateUnavailableException {
        NodeInfo node = local;
        long lease = leaseId;
        List<Op> writes = new ArrayList<>();
        writes.add(Op.put(state.layout().key(KeyLayout.NODES + node.id()), Codec.node(node), PutOption.DEFAULT));
        if (lease != 0) {
            // Without a lease yet, only the description: the node is up once keepAlive has one.
            writes.add(Op.put(state.layout().key(KeyLayout.NODES_ALIVE + node.id()), ByteSequence.from("", UTF_8),
                    PutOption.builder().withLeaseId(lease).build()));
        }
        long revision = state.write("register the node", () -> state.client().getKVClient().txn()
                .Then(writes.toArray(Op[]::new)).commit()).getHeader().getRevision();
        nodes.awaitOwnWrite(revision);
        if (lease != 0) {
            alive.awaitOwnWrite(revision);
        }
    }

    @Override
    public void close() {
        closed = true;
        long lease;
        synchronized (this) {
            lease = leaseId;
            leaseId = 0;
        }
        if (lease != 0 && state.isReachable()) {
            try {
                state.read("revoke the node's lease", () -> state.client().getLeaseClient().revoke(lease));
            } catch (StateUnavailableException e) {
                LOG.info("cannot revoke the node's lease; it expires within {}: {}", ttl, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "EtcdNodeRegistry[" + local.id() + "]";
    }
}
