package io.taskapi.benchmarks.server;

import static java.util.Objects.requireNonNull;

import io.taskapi.benchmarks.load.LatencyHistogram;
import io.taskapi.plugin.TaskApiPlugin;
import io.taskapi.spi.AgentContext;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.testing.InMemoryNodeRegistry;
import io.taskapi.testing.TestingIdentityIssuer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server {@code benchmarks/run} measures: the plugin, started through its SPI on in-memory state (or, with
 * {@code --state}, on its embedded store or on etcd: {@link BenchState}), serving one task socket that
 * {@code --socket} links to. Self-contained: it mints its own credentials.
 *
 * <ul>
 *   <li>ACL: one management token with a random secret.</li>
 *   <li>Workload identity: a fresh Ed25519 key (published to the plugin, bound to EdDSA) signs a Nomad-shaped JWT for
 *       the benchmark task, valid for a day; its allocation is live, and a workload policy bound to its namespace
 *       grants {@code node { policy = "write" }}, so the token may GET and POST {@code /v1/client/metadata}. The
 *       plugin verifies it (or serves it from its verified-identity cache) on every request.</li>
 *   <li>{@code --credentials DIR} receives both ({@code acl}, {@code jwt}; mode 0600) for the load generator.</li>
 *   <li>Settings: {@code socket.rate-limit=0} (the default, 100 a second per socket, would turn a benchmark into a
 *       measurement of the limiter), {@code socket.max-connections=1024}, temporary data and link directories;
 *       everything else is the plugin's default. {@code --set KEY=VALUE} overrides any of them.</li>
 *   <li>Node metadata: static {@code arch} and {@code connect.log_level}, dynamic {@code bench.key}; the POST the
 *       benchmark sends sets {@code bench.key} to the same value, so every GET returns the same bytes.</li>
 * </ul>
 *
 * <p>The socket is exposed through a symbolic link: junixsocket closes a listener whose bound name disappears, so the
 * bound name is never renamed or unlinked while the server runs. SIGTERM closes the Task API, removes the link and
 * the temporary directories, and prints a last memory line.
 */
public final class BenchServer implements AutoCloseable {
    /** The local node's static metadata. */
    static final Map<String, String> STATIC_META = Map.of("arch", "amd64", "connect.log_level", "info");
    /** The dynamic metadata the node starts with (the benchmark's POST sets it again). */
    static final Map<String, Optional<String>> DYNAMIC_META = Map.of("bench.key", Optional.of("v"));
    /** The namespace of every task socket, and of the policy the workload identity gets. */
    static final String NAMESPACE = "default";
    /** How long the minted workload identity is valid: longer than any run. */
    static final Duration JWT_TTL = Duration.ofDays(1);

    private final TaskApi api;
    private final BenchState state;
    private final BenchCredentials credentials;
    private final Path link;
    private final Path taskSocket;
    private final Path workDir;
    private final List<SocketMount> idle = new ArrayList<>();
    private boolean closed;

    private BenchServer(TaskApi api, BenchState state, BenchCredentials credentials, Path link, Path taskSocket,
                        Path workDir) {
        this.api = api;
        this.state = state;
        this.credentials = credentials;
        this.link = link;
        this.taskSocket = taskSocket;
        this.workDir = workDir;
    }

    /**
     * Mints the credentials, starts the plugin, opens the task socket, writes the credentials to
     * {@code --credentials} and links {@code --socket} to the socket. Extra sockets are {@link #openIdleSockets}.
     *
     * @param options the command line
     * @return the running server
     * @throws IOException when a directory, the credentials or the link cannot be written
     * @throws SocketUnavailableException when the task socket cannot be opened
     */
    public static BenchServer start(BenchOptions options) throws IOException, SocketUnavailableException {
        requireNonNull(options, "options is null");
        prepareLink(options.socket());
        TestingIdentityIssuer issuer = TestingIdentityIssuer.create();
        TaskRef task = new TaskRef(UUID.randomUUID().toString(), NAMESPACE, "bench", "bench", "bench");
        BenchCredentials credentials = new BenchCredentials(UUID.randomUUID().toString(),
                issuer.token(task).signedWith(issuer.ed25519Key()).ttl(JWT_TTL).sign());

        Path workDir = Files.createTempDirectory("taskapi-bench-");
        TaskApi api = null;
        BenchState state = null;
        try {
            String nodeName = options.etcd().map(BenchOptions.EtcdOptions::nodeName).orElse("bench-node");
            NodeInfo node = new NodeInfo(UUID.randomUUID().toString(), nodeName, "dc1", "default", "", "ready",
                    InMemoryNodeRegistry.DEFAULT_ATTRIBUTES, STATIC_META);
            AclToken management = new AclToken(UUID.randomUUID().toString(), credentials.aclSecret(),
                    "bench management", AclTokenType.MANAGEMENT, List.of(), Instant.now(), Optional.empty());
            state = BenchState.open(options, workDir, node, issuer.ed25519Key().verificationKey(), management);
            // Live, and running the token's task: the plugin checks the claims against what the allocation runs.
            state.markLive(task);
            api = new TaskApiPlugin().start(AgentContext.builder(state.agentState())
                    .config(settings(workDir.resolve("l"), workDir.resolve("data"), options.settings())).build());
            Path secrets = Files.createDirectories(workDir.resolve("secrets").resolve("main"));
            api.openSocket(SocketRequest.of(task, secrets, SocketNeeds.of(FilesystemIsolation.NONE)));
            Path taskSocket = secrets.resolve("api.sock");
            if (options.credentials().isPresent()) {
                credentials.writeTo(options.credentials().get());
            }
            // Only now, so that a client that sees the link finds a socket that serves.
            Files.createSymbolicLink(options.socket(), taskSocket);
            return new BenchServer(api, state, credentials, options.socket(), taskSocket, workDir);
        } catch (StateUnavailableException e) {
            cleanUp(api, state, workDir);
            throw new IOException("the state is unavailable: " + e.getMessage(), e);
        } catch (IOException | SocketUnavailableException | RuntimeException e) {
            cleanUp(api, state, workDir);
            throw e;
        }
    }

    private static void cleanUp(TaskApi api, BenchState state, Path workDir) {
        if (api != null) {
            api.close();
        }
        if (state != null) {
            state.close();
        }
        deleteTree(workDir);
    }

    /**
     * Opens more task sockets that nobody connects to, each for its own live allocation.
     *
     * @param count how many
     * @throws IOException when a secrets directory cannot be made
     * @throws SocketUnavailableException when a socket cannot be opened
     */
    public synchronized void openIdleSockets(int count) throws IOException, SocketUnavailableException {
        for (int i = 0; i < count; i++) {
            idle.add(api.openSocket(idleRequest("x" + idle.size())));
        }
    }

    /**
     * Opens one more task socket and releases its task again, {@code count} times, with the sockets already open left
     * as they are: what a task start and stop costs the plugin at this many open sockets.
     *
     * @param count how many open-and-close cycles
     * @return the latency of each cycle, in nanoseconds
     * @throws IOException when the secrets directory cannot be made
     * @throws SocketUnavailableException when the socket cannot be opened
     */
    public LatencyHistogram churn(int count) throws IOException, SocketUnavailableException {
        LatencyHistogram latency = new LatencyHistogram();
        for (int i = 0; i < count; i++) {
            SocketRequest request = idleRequest("churn");
            long started = System.nanoTime();
            api.openSocket(request);
            api.release(request.task()); // the task is done for good
            latency.record(System.nanoTime() - started);
        }
        return latency;
    }

    private SocketRequest idleRequest(String dirName) throws IOException {
        TaskRef idle = new TaskRef(UUID.randomUUID().toString(), NAMESPACE, "bench-extra", "extra", "idle");
        try {
            state.markLive(idle);
        } catch (StateUnavailableException e) {
            throw new IOException("cannot make the allocation live: " + e.getMessage(), e);
        }
        Path dir = Files.createDirectories(workDir.resolve("secrets").resolve(dirName));
        return SocketRequest.of(idle, dir, SocketNeeds.of(FilesystemIsolation.NONE));
    }

    /**
     * The settings the benchmark runs with, before {@code --set} overrides.
     *
     * @param linkDir the plugin's link directory
     * @param dataDir the embedded store's directory
     * @param overrides {@code --set} values
     * @return the plugin settings
     */
    static Map<String, String> settings(Path linkDir, Path dataDir, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        // Benchmarks must not be throttled: the default (100/s per socket, burst 200) would measure the limiter.
        settings.put("socket.rate-limit", "0");
        // ...and the 401 row measures refusals, not the failed-authentication budget's 429s.
        settings.put("socket.unauthenticated-rate-limit", "0");
        // The benchmark opens 16 connections and the soak 64, the default limit: leave room for other shapes.
        settings.put("socket.max-connections", "1024");
        settings.put("socket.link-dir", linkDir.toString());
        settings.put("state.data-dir", dataDir.toString());
        settings.putAll(overrides);
        return settings;
    }

    /** @return the path clients connect to (a link to {@link #taskSocket()}) */
    public Path socket() {
        return link;
    }

    /** @return the task socket in its secrets directory */
    public Path taskSocket() {
        return taskSocket;
    }

    /** @return how many task sockets are open */
    public synchronized int openSockets() {
        return 1 + idle.size();
    }

    /** @return the credentials the server accepts */
    public BenchCredentials credentials() {
        return credentials;
    }

    /** Closes the Task API, then removes the link and the temporary directories. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            api.close();
        } finally {
            state.close();
            try {
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(taskSocket)) {
                    Files.delete(link);
                }
            } catch (IOException e) {
                System.err.println("bench: could not remove " + link + ": " + e.getMessage());
            }
            deleteTree(workDir);
        }
    }

    /**
     * {@code --socket PATH [--credentials DIR] …}; see {@link BenchOptions}. Runs until SIGTERM or SIGINT. Prints
     * {@code bench: ready …} when clients may connect, after the extra sockets and the churn.
     *
     * @param args the command line
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        configureLogging();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals("help")) {
                System.err.println("BenchServer: " + e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        long started = System.nanoTime();
        BenchServer server = start(options);
        long startMillis = (System.nanoTime() - started) / 1_000_000;
        CountDownLatch stopped = new CountDownLatch(1);
        ScheduledExecutorService memoryLog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-memory-log");
            thread.setDaemon(true);
            return thread;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            memoryLog.shutdownNow();
            out.println("bench: memory phase=stop " + ProcessMemory.line());
            server.close();
            out.println("bench: stopped");
            out.flush();
            stopped.countDown();
        }, "bench-shutdown"));

        if (options.extraSockets() > 0 || options.churn() > 0) {
            // Live data only, so that the difference to the next line is what the sockets hold.
            System.gc();
            out.println("bench: memory phase=base sockets=" + server.openSockets() + " " + ProcessMemory.line());
            long opening = System.nanoTime();
            server.openIdleSockets(options.extraSockets());
            out.printf("bench: extra-sockets opened=%d ms=%d%n", options.extraSockets(),
                    (System.nanoTime() - opening) / 1_000_000);
            System.gc();
            out.println("bench: memory phase=extra sockets=" + server.openSockets() + " " + ProcessMemory.line());
            if (options.churn() > 0) {
                LatencyHistogram churn = server.churn(options.churn());
                out.printf("bench: churn open_sockets=%d cycles=%d p50_us=%.1f p99_us=%.1f max_us=%.1f%n",
                        server.openSockets(), churn.count(), churn.percentile(50) / 1e3, churn.percentile(99) / 1e3,
                        churn.max() / 1e3);
            }
        }
        Map<String, String> effective = settings(Path.of("<tmp>/l"), Path.of("<tmp>/data"), options.settings());
        out.printf("bench: ready socket=%s sockets=%d state=%s metadata=%s pid=%d start_ms=%d jvm_uptime_ms=%d%n",
                server.socket(), server.openSockets(), options.state().name().toLowerCase(Locale.ROOT),
                options.embeddedMetadata() ? "embedded" : options.state().name().toLowerCase(Locale.ROOT),
                ProcessHandle.current().pid(), startMillis, ManagementFactory.getRuntimeMXBean().getUptime());
        out.println("bench: settings " + effective + " (socket.rate-limit=0: benchmarks must not be throttled)");
        out.println("bench: memory phase=ready " + ProcessMemory.line());
        out.flush();

        if (options.memoryLogSeconds() > 0) {
            ScheduledFuture<?> unused = memoryLog.scheduleAtFixedRate(() -> {
                if (options.memoryLogGc()) {
                    System.gc();
                }
                out.println("bench: memory phase=run t_s=" + (System.nanoTime() - started) / 1_000_000_000L + " "
                        + ProcessMemory.line());
                out.flush();
            }, options.memoryLogSeconds(), options.memoryLogSeconds(), TimeUnit.SECONDS);
        }
        stopped.await();
    }

    /** Logs WARN and above and no audit lines, unless the caller chose a logback configuration. */
    public static void configureLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            URL config = BenchServer.class.getResource("logback.xml");
            if (config != null) {
                System.setProperty("logback.configurationFile", config.toString());
            }
        }
    }

    private static void prepareLink(Path link) throws IOException {
        if (Files.isSymbolicLink(link)) {
            Files.delete(link); // a stale link from an earlier run; never anything else
        } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(link + " exists and is not a symbolic link: not replacing it");
        }
        Path parent = link.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(paths::add);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("bench: could not list " + root + ": " + e.getMessage());
        }
        paths.sort(Comparator.reverseOrder());
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                System.err.println("bench: could not remove " + path + ": " + e.getMessage());
            }
        }
    }
}
