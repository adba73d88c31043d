package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.AgentState;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.state.etcd.EtcdAllocationRegistry;
import io.taskapi.state.etcd.EtcdNodeRegistry;
import io.taskapi.state.etcd.EtcdSigningKeyring;
import io.taskapi.state.etcd.EtcdState;
import io.taskapi.state.etcd.RootKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's membership of a cluster whose state lives in etcd: the plugin's stores (ACL tokens, policies, roles,
 * auth methods, variables and their keyring, node metadata) are etcd's, read from memory and kept fresh by watches;
 * this agent's node is registered under a lease, and its allocations are published, so that every agent answers for
 * every node and verifies every agent's workload identities. Jobs stay on the agent they were submitted to.
 *
 * <p>Opened once per agent ({@link #join}); {@link #close()} revokes the node's lease (the node is down everywhere at
 * once) and closes the connection.
 */
final class AgentCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCluster.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LOAD_STEP = Duration.ofMillis(250);

    private final EtcdState etcd;
    private final EtcdNodeRegistry nodes;
    private final EtcdAllocationRegistry allocations;
    private final Optional<EtcdSigningKeyring> signingKeys;
    private final Optional<RootKey> rootKey;
    private final ClusterPublisher publisher = new ClusterPublisher();

    private AgentCluster(EtcdState etcd, EtcdNodeRegistry nodes, Optional<RootKey> rootKey) {
        this.etcd = etcd;
        this.nodes = nodes;
        this.rootKey = rootKey;
        this.allocations = etcd.allocations();
        this.signingKeys = rootKey.map(key -> etcd.signingKeys(Optional.of(key)));
    }

    /**
     * Connects to etcd and registers this agent's node. Does not fail when etcd is down: the stores then answer 503
     * until it is up, and the node registers once it is.
     *
     * @param options the cluster
     * @param node this agent's node
     * @return the membership
     * @throws IOException when the root key file cannot be read or made
     */
    static AgentCluster join(ClusterOptions options, LocalNodeRegistry node) throws IOException {
        requireNonNull(options, "options is null");
        Optional<RootKey> rootKey = options.rootKeyFile().isPresent()
                ? Optional.of(rootKey(options.rootKeyFile().get())) : Optional.empty();
        if (rootKey.isEmpty()) {
            LOG.warn("no root key (-keyring-key-file): variables answer 503 sealed on this agent");
        }
        EtcdState etcd = EtcdState.connect(options.etcd());
        try {
            AgentCluster cluster = new AgentCluster(etcd, etcd.nodeRegistry(node.node(), options.nodeTtl()), rootKey);
            node.onChange(changed -> cluster.publisher.publish("node " + changed.id(),
                    () -> cluster.nodes.update(changed)));
            return cluster;
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    /**
     * The state to give the plugin, and the publishing of this agent's allocations: call before any allocation is
     * added (at start, before the scheduler loads the last run's).
     *
     * @param local this agent's allocations
     * @param own this agent's own signing key: without the root key it signs with it, and verifies it from memory
     * @return the state: every store from etcd, allocations (and without a root key, identity keys) this agent's
     *     then the cluster's
     */
    AgentState state(AllocationStore local, IdentityKeyring own) {
        String nodeId = nodes.localNodeId();
        local.onAdded(allocation -> publish(allocation, nodeId));
        local.onAllocationEnded(id -> publisher.publish("allocation " + id, () -> allocations.markTerminal(id)));
        AgentState state = etcd.withApiStores(AgentState.builder(), rootKey)
                .allocations(new ClusterAllocationRegistry(local, allocations))
                .nodes(nodes)
                .identityKeys(rootKey.isPresent() ? etcd.identityKeys()
                        : new ClusterIdentityKeys(own, etcd.identityKeys()))
                .build();
        awaitLoaded();
        return state;
    }

    /**
     * Publishes this agent's jobs and allocations for the other agents' lists, after every change, and reads theirs.
     *
     * @param scheduler this agent's jobs
     * @param local this agent's allocations
     * @return the other agents' jobs and allocations
     */
    ClusterView views(JobScheduler scheduler, AllocationStore local) {
        ClusterViews views = new ClusterViews(nodes.localNodeId(), etcd.views("jobs"), etcd.views("allocations"),
                scheduler, local);
        scheduler.stateIndex().onChange(index -> publisher.publish("views", views::sync));
        publisher.publish("views", views::sync);
        return views;
    }

    /**
     * The keys new identities are signed with: the cluster's, shared by every agent, when this agent has the root
     * key; otherwise this agent's own, whose public half is published in etcd so that every agent verifies it.
     *
     * @param own this agent's own key
     * @return the signing keys
     */
    SigningKeys signingKeys(IdentityKeyring own) {
        if (signingKeys.isPresent()) {
            EtcdSigningKeyring cluster = signingKeys.get();
            return () -> {
                EtcdSigningKeyring.SigningKey key = cluster.activeSigningKey();
                return new SigningKeys.ActiveKey(key.keyId(), key.privateKey());
            };
        }
        publisher.publish("identity key " + own.keyId(), () -> etcd.identityKeys().publish(own.verificationKey()));
        return own;
    }

    private void publish(Allocation allocation, String nodeId) {
        String id = allocation.id();
        if (allocation.clientStatus().terminal()) {
            publisher.publish("allocation " + id, () -> allocations.markTerminal(id));
        } else {
            AllocationWorkload workload = new AllocationWorkload(allocation.namespace(), allocation.jobId(),
                    allocation.group(), Set.copyOf(allocation.taskNames()));
            publisher.publish("allocation " + id, () -> allocations.markLive(id, nodeId, workload));
        }
    }

    private void awaitLoaded() {
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (true) {
            try {
                etcd.awaitLoaded(LOAD_STEP);
                return;
            } catch (StateUnavailableException e) {
                // Not fatal: the stores answer 503 until etcd is reachable, then catch up by themselves. No point
                // waiting on once a heartbeat has found etcd unreachable.
                if (!etcd.isReachable() || System.nanoTime() - deadline > 0) {
                    LOG.warn("starting without etcd's state: {}", e.getMessage());
                    return;
                }
            }
        }
    }

    private static RootKey rootKey(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            RootKey generated = RootKey.generate(file);
            LOG.warn("made a new root key in {}: give every agent of this cluster a copy of that file (0600)", file);
            return generated;
        }
        return RootKey.load(file);
    }

    @Override
    public void close() {
        publisher.close();
        etcd.close(); // revokes the node's lease: down on every agent now
    }
}
