package io.taskapi.benchmarks.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 */
public record BenchOptions(Path socket, Optional<Path> credentials, int extraSockets, int churn,
                           boolean embeddedMetadata, Map<String, String> settings, int memoryLogSeconds,
                           boolean memoryLogGc) {
    static final String USAGE = """
            usage: BenchServer --socket PATH [--credentials DIR] [--extra-sockets N] [--churn N]
                               [--metadata memory|embedded] [--set KEY=VALUE]... [--memory-log-seconds N]
                               [--memory-log-gc]
              --socket PATH            where to expose the task socket (a symlink to <secrets>/api.sock)
              --credentials DIR        write the accepted credentials there: acl (a management ACL secret) and
                                       jwt (the task's Ed25519 workload identity, node write), both 0600
              --extra-sockets N        open N more (idle) task sockets (default 0)
              --churn N                then open and close one more task socket N times and print the latency
              --metadata KIND          node metadata in memory (default) or in the embedded SQLite store
              --set KEY=VALUE          a plugin setting (docs/operations.md), overriding the benchmark's
              --memory-log-seconds N   print a memory line every N seconds (default 10; 0: start and stop only)
              --memory-log-gc          run a full GC before each periodic memory line (heap = live data)
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
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (socket == null) {
            throw new IllegalArgumentException("--socket is required");
        }
        return new BenchOptions(socket, Optional.ofNullable(credentials), extra, churn, embedded, settings,
                memoryLog, memoryLogGc);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number", e);
        }
    }
}
