package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.AgentContext;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.SpiVersion;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskApiProvider;
import io.taskapi.spi.state.NodeInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent built only on the SPI: it finds the Task API plugin and the task drivers with {@link ServiceLoader}, gives
 * the plugin this node, the allocations and the identity keyring (the plugin keeps ACLs, node metadata and variables
 * in its embedded store under the data directory), and adds the job routes. With {@code -etcd-endpoints} it joins a
 * cluster instead ({@link AgentCluster}): every store is etcd's, shared with the other agents.
 *
 * <pre>{@code
 * try (Agent agent = Agent.start(AgentOptions.dev(true))) {
 *     // operator API at agent.address(); each task's API at <data-dir>/alloc/<alloc>/<task>/secrets/api.sock
 * }
 * }</pre>
 *
 * <p>At start it recovers the tasks a previous run left ({@link JobScheduler#load()}, {@link JobScheduler#resume()}).
 * {@link #close()} in {@code -dev} stops every task (each gets a grace period); otherwise it leaves them running for
 * the next start to recover, as Nomad's client does. Then it closes the plugin (and so every socket) and deletes a
 * temporary data directory.
 */
public final class Agent implements AutoCloseable {
    /** How long a workload identity is valid, unless its allocation ends first. */
    public static final Duration IDENTITY_TTL = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentOptions options;
    private final AgentDataDir dataDir;
    private final LocalNodeRegistry node;
    private final DriverCatalog drivers;
    private final DriverHealthMonitor health;
    private final JobScheduler scheduler;
    private final TaskApi api;
    private final Optional<AgentCluster> cluster;
    private final Optional<Path> caCertificate;
    private final String address;
    private boolean closed;

    private Agent(AgentOptions options, AgentDataDir dataDir, LocalNodeRegistry node, DriverCatalog drivers,
                  DriverHealthMonitor health, JobScheduler scheduler, TaskApi api, Optional<AgentCluster> cluster,
                  Optional<Path> caCertificate, String address) {
        this.options = options;
        this.dataDir = dataDir;
        this.node = node;
        this.drivers = drivers;
        this.health = health;
        this.scheduler = scheduler;
        this.api = api;
        this.cluster = cluster;
        this.caCertificate = caCertificate;
        this.address = address;
    }

    /**
     * Starts an agent with the drivers found on the class path.
     *
     * @param options the flags
     * @return the running agent
     * @throws IOException when the data directory, the keyring or the listener cannot be set up
     */
    public static Agent start(AgentOptions options) throws IOException {
        Path pluginDir = options.pluginDir().orElse(
                options.dataDir().map(dir -> dir.resolve("plugins")).orElse(Path.of("/nonexistent")));
        return start(options, DriverCatalog.load(pluginDir));
    }

    /**
     * Starts an agent with these drivers.
     *
     * @param options the flags
     * @param drivers the drivers
     * @return the running agent
     * @throws IOException when the data directory, the keyring or the listener cannot be set up
     */
    public static Agent start(AgentOptions options, DriverCatalog drivers) throws IOException {
        requireNonNull(options, "options is null");
        requireNonNull(drivers, "drivers is null");
        AgentDataDir dataDir = AgentDataDir.open(options.dataDir());
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(dataDir);
        try {
            Clock clock = Clock.systemUTC();
            String nodeId = LocalNodeRegistry.loadOrCreateId(dataDir.nodeIdFile());
            NodeInfo nodeInfo = LocalNodeRegistry.node(nodeId, options, NodeFingerprint.attributes(drivers.names()));
            LocalNodeRegistry node = new LocalNodeRegistry(nodeInfo);
            drivers.configure(options.driverConfig());   // the operator's plugin blocks, before any fingerprint
            // Each driver's health in the node's Drivers before anything is placed, and now and then after.
            DriverHealthMonitor health = new DriverHealthMonitor(drivers, node, clock);
            health.refreshAll();
            opened.add(health);
            IdentityKeyring keyring = IdentityKeyring.loadOrCreate(dataDir.keysDir());
            AllocationStore allocations = new AllocationStore();
            // In a cluster the plugin's stores are etcd's, and this node and its allocations are published there
            // (before the scheduler loads the last run's allocations, so that they are published too).
            Optional<AgentCluster> cluster = Optional.empty();
            if (options.cluster().isPresent()) {
                cluster = Optional.of(AgentCluster.join(options.cluster().get(), node));
                opened.add(cluster.get());
            }
            health.start();
            AgentState state = cluster.isPresent() ? cluster.get().state(allocations, keyring)
                    : AgentState.builder().allocations(allocations).nodes(node).identityKeys(keyring).build();
            SigningKeys signingKeys = cluster.isPresent() ? cluster.get().signingKeys(keyring) : keyring;
            DeferredTaskApi sockets = new DeferredTaskApi();
            JobScheduler scheduler = new JobScheduler(drivers, allocations,
                    new WorkloadIdentitySigner(signingKeys, options.region(), IDENTITY_TTL, clock), node, dataDir,
                    options.region(), sockets, ClientState.open(dataDir.clientDir()), clock);
            scheduler.useHealthMonitor(health);
            // A start that fails halfway leaves tasks as a stop would: running outside -dev, for the next start.
            opened.add(0, options.dev() ? scheduler::close : scheduler::detach);
            scheduler.load(); // jobs and allocations known before the API answers

            // Plain HTTP on the operator address in -dev; otherwise the plugin's operator listener serves HTTPS
            // itself there (no plain-HTTP TCP listener at all). Port 0: a free port, chosen here so that the address
            // printed is the one that answers.
            int port = options.port() == 0 ? freePort(options.bindHost()) : options.port();
            // The operator's settings first: the agent's own below come from its options and win.
            Map<String, String> config = new LinkedHashMap<>(options.taskApiSettings());
            config.put("http.operator-address", options.bindHost() + ":" + port);
            Optional<Path> caCertificate = Optional.empty();
            if (!options.dev()) {
                AgentCertificate.PemPair pem = AgentCertificate.ensure(options, dataDir.tlsDir(), nodeInfo.name());
                config.put("http.operator-tls-cert-file", pem.certFile().toString());
                config.put("http.operator-tls-key-file", pem.keyFile().toString());
                if (options.tls().verifyHttpsClient()) {
                    config.put("http.operator-tls-verify-client", "true");
                    config.put("http.operator-tls-ca-file", options.tls().caFile().orElseThrow().toString());
                }
                caCertificate = Optional.of(pem.certFile());
            }
            config.put("acl.enabled", Boolean.toString(options.aclEnabled()));
            config.put("agent.region", options.region());
            config.put("state.data-dir", dataDir.stateDir().toString());
            config.put("socket.link-dir", dataDir.socketLinkDir().toString());
            ClusterView others = cluster.isPresent() ? cluster.get().views(scheduler, allocations) : ClusterView.NONE;
            TaskApi api = provider().start(AgentContext.builder(state).config(config)
                    .routes(JobRoutes.all(scheduler, allocations, others)).stateIndex(scheduler.stateIndex())
                    .exec(new TaskExec(allocations, scheduler))
                    .build());
            opened.add(0, api);
            sockets.set(api);
            scheduler.resume(); // the tasks of the last run, their sockets opened again

            String address = (options.dev() ? "http://" : "https://") + hostForUrl(options.bindHost()) + ":" + port;
            dataDir.markInUse();
            LOG.info("agent started: node {} at {}, data dir {}", nodeId, address, dataDir.root());
            return new Agent(options, dataDir, node, drivers, health, scheduler, api, cluster, caCertificate, address);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable closeable : opened) {
                try {
                    closeable.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** @return the operator API's base URL, for example {@code http://127.0.0.1:4646} */
    public String address() {
        return address;
    }

    /** @return the options it runs with */
    public AgentOptions options() {
        return options;
    }

    /** @return the data directory */
    public AgentDataDir dataDir() {
        return dataDir;
    }

    /** @return this node */
    public NodeInfo node() {
        return node.node();
    }

    /** @return the loaded drivers' names */
    public List<String> drivers() {
        return drivers.names();
    }

    /** @return the TLS certificate clients should trust (not in -dev) */
    public Optional<Path> caCertificate() {
        return caCertificate;
    }

    /**
     * In {@code -dev} stops every task; otherwise leaves them running for the next start to recover. Then closes the
     * plugin and every socket, and removes a temporary data directory.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("agent shutting down");
        health.close();
        if (options.dev()) {
            scheduler.close();
        } else {
            scheduler.detach();
        }
        api.close();
        cluster.ifPresent(AgentCluster::close); // after the plugin: its lease revoked, this node is down everywhere
        dataDir.close();
    }

    private static TaskApiProvider provider() {
        List<TaskApiProvider> providers = ServiceLoader.load(TaskApiProvider.class, Agent.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
        TaskApiProvider provider = providers.stream().filter(p -> p.name().equals("taskapi")).findFirst()
                .or(() -> providers.stream().findFirst())
                .orElseThrow(() -> new IllegalStateException("no Task API plugin (TaskApiProvider) on the class path"));
        SpiVersion.requireSupported(provider); // a plugin built for a newer SPI than this agent's refuses to start
        return provider;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
