package io.taskapi.benchmarks.server;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.state.EmbeddedState;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import io.taskapi.state.etcd.EtcdState;
import io.taskapi.state.etcd.EtcdStateConfig;
import io.taskapi.state.etcd.RootKey;
import io.taskapi.testing.InMemoryAclPolicyStore;
import io.taskapi.testing.InMemoryAclTokenStore;
import io.taskapi.testing.InMemoryAllocationRegistry;
import io.taskapi.testing.InMemoryIdentityKeyStore;
import io.taskapi.testing.InMemoryNodeMetadataStore;
import io.taskapi.testing.InMemoryNodeRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The benchmark server's state, of one {@link BenchOptions.StateKind}, with the benchmark's management token, the
 * workload policy, the node's metadata and the identity key already in it; and the way to make a task's allocation
 * live there.
 */
final class BenchState implements AutoCloseable {
    /** The workload policy every bench task gets (bound to its namespace). */
    static final String WORKLOAD_POLICY = "bench-workload";
    /** How long etcd may take to load at start: a seeded prefix (10,000 tokens) on a busy machine. */
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);
    /** The node's lease in etcd. */
    private static final Duration NODE_TTL = Duration.ofSeconds(10);

    /** Makes a task's allocation live, on this server's node. */
    @FunctionalInterface
    interface LiveAllocations {
        void markLive(TaskRef task) throws StateUnavailableException;
    }

    private final AgentState agentState;
    private final LiveAllocations live;
    private final AutoCloseable closer;

    private BenchState(AgentState agentState, LiveAllocations live, AutoCloseable closer) {
        this.agentState = agentState;
        this.live = live;
        this.closer = closer;
    }

    /**
     * @param options the command line
     * @param workDir the server's temporary directory
     * @param node this server's node
     * @param key the key the bench identities are signed with
     * @param management the benchmark's management token
     * @return the state, seeded
     * @throws IOException when a directory or the root key cannot be made
     * @throws StateUnavailableException when the store refuses the seed (etcd unreachable)
     */
    static BenchState open(BenchOptions options, Path workDir, NodeInfo node, VerificationKey key, AclToken management)
            throws IOException, StateUnavailableException {
        requireNonNull(options, "options is null");
        return switch (options.state()) {
            case MEMORY -> memory(options, node, key, management);
            case EMBEDDED -> embedded(workDir, node, key, management);
            case ETCD -> etcd(options.etcd().orElseThrow(), workDir, node, key, management);
        };
    }

    private static BenchState memory(BenchOptions options, NodeInfo node, VerificationKey key, AclToken management)
            throws StateUnavailableException {
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
        InMemoryAclPolicyStore policies = new InMemoryAclPolicyStore();
        seed(tokens, policies, management);
        AgentState.Builder state = AgentState.builder()
                .allocations(allocations)
                .nodes(new InMemoryNodeRegistry(node))
                .identityKeys(InMemoryIdentityKeyStore.of(List.of(key)))
                .aclTokens(tokens)
                .aclPolicies(policies);
        if (!options.embeddedMetadata()) {
            InMemoryNodeMetadataStore metadata = new InMemoryNodeMetadataStore();
            seed(metadata, node);
            state.nodeMetadata(metadata);
        }
        return new BenchState(state.build(), allocations::markLive, () -> { });
    }

    /** The plugin's SQLite store, opened here so that it can be seeded: what a dev agent runs on. */
    private static BenchState embedded(Path workDir, NodeInfo node, VerificationKey key, AclToken management)
            throws StateUnavailableException {
        EmbeddedState embedded = new EmbeddedState(Optional.of(workDir.resolve("embedded")), Clock.systemUTC());
        try {
            seed(embedded.aclTokens(), embedded.aclPolicies(), management);
            seed(embedded.nodeMetadata(), node);
            InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
            AgentState state = AgentState.builder()
                    .allocations(allocations)
                    .nodes(new InMemoryNodeRegistry(node))
                    .identityKeys(InMemoryIdentityKeyStore.of(List.of(key)))
                    .aclTokens(embedded.aclTokens())
                    .aclPolicies(embedded.aclPolicies())
                    .nodeMetadata(embedded.nodeMetadata())
                    .variables(embedded.variables())
                    .build();
            return new BenchState(state, allocations::markLive, embedded::close);
        } catch (StateUnavailableException | RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    /** Every store from etcd, as a cluster agent has them (AgentCluster in the examples): node, allocations too. */
    private static BenchState etcd(BenchOptions.EtcdOptions options, Path workDir, NodeInfo node, VerificationKey key,
                                   AclToken management) throws IOException, StateUnavailableException {
        RootKey rootKey = rootKey(options.rootKeyFile().orElse(workDir.resolve("root.key")));
        EtcdState etcd = EtcdState.connect(EtcdStateConfig.of(options.endpoints(), options.prefix()));
        try {
            AgentState state = etcd.withApiStores(AgentState.builder(), Optional.of(rootKey))
                    .allocations(etcd.allocations())
                    .nodes(etcd.nodeRegistry(node, NODE_TTL))
                    .identityKeys(etcd.identityKeys())
                    .build();
            etcd.awaitLoaded(LOAD_TIMEOUT);
            etcd.identityKeys().publish(key);
            seed(etcd.aclTokens(), etcd.aclPolicies(), management);
            seed(etcd.nodeMetadata(), node);
            LiveAllocations live = task -> etcd.allocations().markLive(task.allocationId(), node.id(),
                    new AllocationWorkload(task.namespace(), task.jobId(), task.group(), Set.of(task.taskName())));
            return new BenchState(state, live, etcd::close);
        } catch (StateUnavailableException | RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    private static RootKey rootKey(Path file) throws IOException {
        // Several servers on one prefix need the same root key: the first one makes it, the others load it.
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? RootKey.load(file) : RootKey.generate(file);
    }

    private static void seed(AclTokenStore tokens, AclPolicyStore policies, AclToken management)
            throws StateUnavailableException {
        tokens.put(management);
        policies.put(new AclPolicy(WORKLOAD_POLICY, "", "node { policy = \"write\" }",
                Optional.of(new JobAcl(BenchServer.NAMESPACE, "", "", "")), 0, 0));
    }

    private static void seed(NodeMetadataStore metadata, NodeInfo node) throws StateUnavailableException {
        metadata.write(node.id(), BenchServer.DYNAMIC_META);
    }

    /** @return the state to give the plugin */
    AgentState agentState() {
        return agentState;
    }

    /**
     * @param task a task of this server's node
     * @throws StateUnavailableException when the store refuses
     */
    void markLive(TaskRef task) throws StateUnavailableException {
        live.markLive(task);
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            System.err.println("bench: closing the state: " + e.getMessage());
        }
    }
}
