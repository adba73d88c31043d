package io.taskapi.benchmarks.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark server's command line.
 *
 * @param socket where the task socket is made reachable (a symbolic link to it)
 * @param credentials where to write the credentials the server accepts ({@code acl}, {@code jwt}), if anywhere
 * @param extraSockets how many more task sockets to open (idle), to measure what open sockets cost
 * @param churn how many times to open and close one more task socket after the extra ones are open, timing each
 * @param embeddedMetadata whether node metadata goes to the plugin's embedded SQLite store (fsync per write) instead
 *     of memory
 * @param settings plugin settings that override the benchmark's
 * @param memoryLogSeconds how often to print a memory line (0: only at start and stop)
 * @param memoryLogGc whether to run a full GC before every periodic memory line, so that its heap figure is live data
 * @param state where the plugin's state lives
 * @param etcd the etcd cluster, with {@code --state etcd}
 */
public record BenchOptions(Path socket, Optional<Path> credentials, int extraSockets, int churn,
                           boolean embeddedMetadata, Map<String, String> settings, int memoryLogSeconds,
                           boolean memoryLogGc, StateKind state, Optional<EtcdOptions> etcd) {
    /** Where the plugin's stores are. */
    public enum StateKind {
        /** The in-memory stores of taskapi-testing (the default; writes cost nothing). */
        MEMORY,
        /** The plugin's own embedded SQLite store (tokens, policies, variables, node metadata), as a dev agent. */
        EMBEDDED,
        /** etcd ({@code io.taskapi.state.etcd.EtcdState}): every store, node and allocations, as a cluster agent. */
        ETCD
    }

    /**
     * The etcd side of {@code --state etcd}.
     *
     * @param endpoints the members' client URLs
     * @param prefix the key prefix (agents that share it share their state)
     * @param rootKeyFile the root key that wraps the variable keys (made when missing; every agent needs the same)
     * @param nodeName this server's node name
     */
    public record EtcdOptions(List<URI> endpoints, String prefix, Optional<Path> rootKeyFile, String nodeName) {
        /** Checks the values. */
        public EtcdOptions {
            endpoints = List.copyOf(requireNonNull(endpoints, "endpoints is null"));
            requireNonNull(prefix, "prefix is null");
            requireNonNull(rootKeyFile, "rootKeyFile is null");
            requireNonNull(nodeName, "nodeName is null");
            if (endpoints.isEmpty()) {
                throw new IllegalArgumentException("--etcd-endpoints needs at least one URL");
            }
        }
    }

    static final String USAGE = """
            usage: BenchServer --socket PATH [--credentials DIR] [--extra-sockets N] [--churn N]
                               [--metadata memory|embedded] [--set KEY=VALUE]... [--memory-log-seconds N]
                               [--memory-log-gc] [--state memory|embedded|etcd] [--etcd-endpoints URL,...]
                               [--etcd-prefix PREFIX] [--root-key-file FILE] [--node-name NAME]
              --socket PATH            where to expose the task socket (a symlink to <secrets>/api.sock)
              --credentials DIR        write the accepted credentials there: acl (a management ACL secret) and
                                       jwt (the task's Ed25519 workload identity, node write), both 0600
              --extra-sockets N        open N more (idle) task sockets (default 0)
              --churn N                then open and close one more task socket N times and print the latency
              --metadata KIND          node metadata in memory (default) or in the embedded SQLite store
              --set KEY=VALUE          a plugin setting (docs/operations.md), overriding the benchmark's
              --memory-log-seconds N   print a memory line every N seconds (default 10; 0: start and stop only)
              --memory-log-gc          run a full GC before each periodic memory line (heap = live data)
              --state KIND             the plugin's stores: memory (default), embedded (its SQLite store) or etcd
              --etcd-endpoints URLS    with --state etcd: the members' client URLs, comma-separated
              --etcd-prefix PREFIX     with --state etcd: the key prefix (default /taskapi-bench)
              --root-key-file FILE     with --state etcd: the root key of the variable keyring (made when missing)
              --node-name NAME         this server's node name (default bench-node)
            """;

    /** Checks the values. */
    public BenchOptions {
        requireNonNull(socket, "socket is null");
        requireNonNull(credentials, "credentials is null");
        settings = Map.copyOf(requireNonNull(settings, "settings is null"));
        if (extraSockets < 0) {
            throw new IllegalArgumentException("--extra-sockets must not be negative");
        }
        if (churn < 0) {
            throw new IllegalArgumentException("--churn must not be negative");
        }
        if (memoryLogSeconds < 0) {
            throw new IllegalArgumentException("--memory-log-seconds must not be negative");
        }
        requireNonNull(state, "state is null");
        requireNonNull(etcd, "etcd is null");
        if ((state == StateKind.ETCD) != etcd.isPresent()) {
            throw new IllegalArgumentException("--state etcd and --etcd-endpoints go together");
        }
        if (embeddedMetadata && state != StateKind.MEMORY) {
            throw new IllegalArgumentException("--metadata embedded is for --state memory");
        }
    }

    /**
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException with a message for the user when the command line is wrong ("help" for
     *     {@code --help})
     */
    public static BenchOptions parse(String[] args) {
        Path socket = null;
        Path credentials = null;
        int extra = 0;
        int churn = 0;
        boolean embedded = false;
        int memoryLog = 10;
        boolean memoryLogGc = false;
        StateKind state = StateKind.MEMORY;
        List<URI> endpoints = List.of();
        String prefix = "/taskapi-bench";
        Path rootKey = null;
        String nodeName = "bench-node";
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("help");
            }
            if (flag.equals("--memory-log-gc")) {
                memoryLogGc = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--socket" -> socket = Path.of(value).toAbsolutePath();
                case "--credentials" -> credentials = Path.of(value).toAbsolutePath();
                case "--extra-sockets" -> extra = integer(flag, value);
                case "--churn" -> churn = integer(flag, value);
                case "--metadata" -> embedded = switch (value) {
                    case "memory" -> false;
                    case "embedded" -> true;
                    default -> throw new IllegalArgumentException("--metadata must be memory or embedded");
                };
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set needs KEY=VALUE");
                    }
                    settings.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--memory-log-seconds" -> memoryLog = integer(flag, value);
                case "--state" -> state = switch (value) {
                    case "memory" -> StateKind.MEMORY;
                    case "embedded" -> StateKind.EMBEDDED;
                    case "etcd" -> StateKind.ETCD;
                    default -> throw new IllegalArgumentException("--state must be memory, embedded or etcd");
                };
                case "--etcd-endpoints" -> endpoints = Arrays.stream(value.split(",")).map(String::trim)
                        .filter(url -> !url.isEmpty()).map(URI::create).toList();
                case "--etcd-prefix" -> prefix = value;
                case "--root-key-file" -> rootKey = Path.of(value).toAbsolutePath();
                case "--node-name" -> nodeName = value;
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (socket == null) {
            throw new IllegalArgumentException("--socket is required");
        }
        Optional<EtcdOptions> etcd = Optional.empty();
        if (state == StateKind.ETCD) {
            etcd = Optional.of(new EtcdOptions(endpoints, prefix, Optional.ofNullable(rootKey), nodeName));
        } else if (!endpoints.isEmpty()) {
            throw new IllegalArgumentException("--etcd-endpoints needs --state etcd");
        }
        return new BenchOptions(socket, Optional.ofNullable(credentials), extra, churn, embedded, settings,
                memoryLog, memoryLogGc, state, etcd);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number", e);
        }
    }
}
