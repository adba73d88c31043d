package io.taskapi.examples.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.TaskApiPlugin;
import io.taskapi.spi.AgentContext;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskRef;
import io.taskapi.spi.socket.FilesystemIsolation;
import io.taskapi.spi.socket.SocketMount;
import io.taskapi.spi.socket.SocketRequest;
import io.taskapi.spi.socket.SocketUnavailableException;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import io.taskapi.testing.InMemoryAclPolicyStore;
import io.taskapi.testing.InMemoryAclTokenStore;
import io.taskapi.testing.InMemoryAllocationRegistry;
import io.taskapi.testing.InMemoryIdentityKeyStore;
import io.taskapi.testing.InMemoryNodeMetadataStore;
import io.taskapi.testing.InMemoryNodeRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server {@code bench/run-refs.sh} measures: the plugin, started through its SPI on in-memory state, serving one
 * task socket that {@code --socket} links to.
 *
 * <ul>
 *   <li>ACL: one management token whose secret is {@code --acl}.</li>
 *   <li>Workload identities: the Ed25519 keys of {@code --jwks}; the allocation of {@code --jwt} (or
 *       {@code $UDSBENCH_JWT}) is live, and a workload policy bound to its whole namespace grants
 *       {@code node { policy = "write" }}, so the token may GET and POST {@code /v1/client/metadata}. The token is
 *       only decoded here; the plugin verifies it on every request (or serves it from its verified-identity
 *       cache).</li>
 *   <li>Settings: {@code socket.rate-limit=0} (the default, 100 a second per socket, would turn a benchmark into a
 *       measurement of the limiter), {@code socket.max-connections=1024}, temporary data and link directories;
 *       everything else is the plugin's default. {@code --set KEY=VALUE} overrides any of them.</li>
 *   <li>Node metadata: the local node's static metadata and the dynamic {@code bench.key} are those of goref, so the
 *       GET body has the same content as the reference servers'.</li>
 * </ul>
 *
 * <p>The socket is exposed through a symbolic link: junixsocket closes a listener whose bound name disappears, so the
 * bound name is never renamed or unlinked while the server runs. SIGTERM closes the Task API, removes the link and
 * the temporary directories, and prints a last memory line.
 */
public final class BenchServer implements AutoCloseable {
    /** The local node's static metadata: goref's. */
    static final Map<String, String> STATIC_META = Map.of("arch", "amd64", "connect.log_level", "info");
    /** The dynamic metadata the node starts with: goref's (run-refs.sh's POST sets it again). */
    static final Map<String, Optional<String>> DYNAMIC_META = Map.of("bench.key", Optional.of("v"));
    /** The namespace the task socket belongs to when no JWT names one. */
    static final String DEFAULT_NAMESPACE = "default";

    private final TaskApi api;
    private final Path link;
    private final Path taskSocket;
    private final Path workDir;
    private final int openSockets;
    private boolean closed;

    private BenchServer(TaskApi api, Path link, Path taskSocket, Path workDir, int openSockets) {
        this.api = api;
        this.link = link;
        this.taskSocket = taskSocket;
        this.workDir = workDir;
        this.openSockets = openSockets;
    }

    /**
     * Starts the plugin, opens the task socket (and {@code --extra-sockets} more) and links {@code --socket} to it.
     *
     * @param options the command line
     * @return the running server
     * @throws IOException when the JWKS cannot be read or a directory or the link cannot be made
     * @throws SocketUnavailableException when a task socket cannot be opened
     */
    public static BenchServer start(BenchOptions options) throws IOException, SocketUnavailableException {
        requireNonNull(options, "options is null");
        ObjectMapper mapper = new ObjectMapper();
        List<VerificationKey> keys = Ed25519Jwks.read(options.jwks(), mapper);
        Optional<UnverifiedClaims> claims = options.jwt().map(jwt -> UnverifiedClaims.of(jwt, mapper));
        prepareLink(options.socket());

        Path workDir = Files.createTempDirectory("taskapi-bench-");
        TaskApi api = null;
        try {
            InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
            InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
            put(tokens, new AclToken(UUID.randomUUID().toString(), options.aclSecret(), "bench management",
                    AclTokenType.MANAGEMENT, List.of(), Instant.now(), Optional.empty()));
            InMemoryAclPolicyStore policies = new InMemoryAclPolicyStore();
            String namespace = claims.map(UnverifiedClaims::namespace).orElse(DEFAULT_NAMESPACE);
            policies.createJobPolicy("bench-workload", "node { policy = \"write\" }",
                    new JobAcl(namespace, "", "", ""));
            NodeInfo node = new NodeInfo(UUID.randomUUID().toString(), "bench-node", "dc1", "default", "", "ready",
                    InMemoryNodeRegistry.DEFAULT_ATTRIBUTES, STATIC_META);
            AgentState.Builder state = AgentState.builder()
                    .allocations(allocations)
                    .nodes(new InMemoryNodeRegistry(node))
                    .identityKeys(InMemoryIdentityKeyStore.of(keys))
                    .aclTokens(tokens)
                    .aclPolicies(policies);
            if (!options.embeddedMetadata()) {
                InMemoryNodeMetadataStore metadata = new InMemoryNodeMetadataStore();
                write(metadata, node.id());
                state.nodeMetadata(metadata);
            }

            api = new TaskApiPlugin().start(new AgentContext(
                    settings(workDir.resolve("l"), workDir.resolve("data"), options.settings()), state.build()));

            TaskRef task = claims.map(c -> new TaskRef(c.allocationId(), c.namespace(), c.jobId(),
                            c.group().orElse("bench"), c.task()))
                    .orElseGet(() -> new TaskRef(UUID.randomUUID().toString(), namespace, "bench", "bench", "bench"));
            // Live, and running the token's task of the token's job: the plugin checks the claims against this.
            allocations.markLive(task);
            Path secrets = Files.createDirectories(workDir.resolve("secrets").resolve("main"));
            api.openSocket(new SocketRequest(task, secrets, Optional.empty(), FilesystemIsolation.NONE));
            Path taskSocket = secrets.resolve("api.sock");
            for (int i = 0; i < options.extraSockets(); i++) {
                TaskRef extra = new TaskRef(UUID.randomUUID().toString(), namespace, "bench-extra", "extra", "idle");
                allocations.markLive(extra);
                Path dir = Files.createDirectories(workDir.resolve("secrets").resolve("x" + i));
                api.openSocket(new SocketRequest(extra, dir, Optional.empty(), FilesystemIsolation.NONE));
            }
            // Only now, so that a client that sees the link finds a socket that serves.
            Files.createSymbolicLink(options.socket(), taskSocket);
            return new BenchServer(api, options.socket(), taskSocket, workDir, 1 + options.extraSockets());
        } catch (IOException | SocketUnavailableException | RuntimeException e) {
            if (api != null) {
                api.close();
            }
            deleteTree(workDir);
            throw e;
        }
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
        // run-refs.sh opens 16 connections; the default of 64 is enough, but leave room for other client shapes.
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
    public int openSockets() {
        return openSockets;
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
     * {@code --socket PATH --jwks FILE --acl UUID [--jwt TOKEN] …}; see {@link BenchOptions}. Runs until SIGTERM or
     * SIGINT.
     *
     * @param args the command line
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        configureLogging();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, System.getenv());
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
        Map<String, String> effective = settings(Path.of("<tmp>/l"), Path.of("<tmp>/data"), options.settings());
        out.printf("bench: ready socket=%s sockets=%d jwt=%s metadata=%s pid=%d start_ms=%d%n", server.socket(),
                server.openSockets(), options.jwt().isPresent() ? "set" : "none",
                options.embeddedMetadata() ? "embedded" : "memory", ProcessHandle.current().pid(),
                (System.nanoTime() - started) / 1_000_000);
        out.println("bench: settings " + effective + " (socket.rate-limit=0: benchmarks must not be throttled)");
        out.println("bench: memory phase=ready " + ProcessMemory.line());
        out.flush();

        ScheduledExecutorService memoryLog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-memory-log");
            thread.setDaemon(true);
            return thread;
        });
        if (options.memoryLogSeconds() > 0) {
            memoryLog.scheduleAtFixedRate(() -> {
                out.println("bench: memory phase=run t_s=" + (System.nanoTime() - started) / 1_000_000_000L + " "
                        + ProcessMemory.line());
                out.flush();
            }, options.memoryLogSeconds(), options.memoryLogSeconds(), TimeUnit.SECONDS);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            memoryLog.shutdownNow();
            out.println("bench: memory phase=stop " + ProcessMemory.line());
            server.close();
            out.println("bench: stopped");
            out.flush();
            stopped.countDown();
        }, "bench-shutdown"));
        stopped.await();
    }

    /** Logs WARN and above and no audit lines, unless the caller chose a logback configuration. */
    private static void configureLogging() {
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

    private static void put(InMemoryAclTokenStore tokens, AclToken token) {
        try {
            tokens.put(token);
        } catch (StateUnavailableException e) {
            throw new IllegalStateException("a fresh in-memory store is available", e);
        }
    }

    private static void write(InMemoryNodeMetadataStore metadata, String nodeId) {
        try {
            metadata.write(nodeId, DYNAMIC_META);
        } catch (StateUnavailableException e) {
            throw new IllegalStateException("a fresh in-memory store is available", e);
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
