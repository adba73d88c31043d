package io.taskapi.examples.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The benchmark server's command line.
 *
 * @param socket where the task socket is made reachable (a symbolic link to it)
 * @param jwks the JWKS file whose Ed25519 keys verify workload identities
 * @param aclSecret the secret of the management ACL token the server accepts
 * @param jwt the workload identity the load generator sends, if any: its allocation is marked live and its namespace
 *     gets a {@code node} write policy
 * @param extraSockets how many more task sockets to open (idle), to measure what open sockets cost
 * @param embeddedMetadata whether node metadata goes to the plugin's embedded SQLite store (fsync per write) instead
 *     of memory
 * @param settings plugin settings that override the benchmark's
 * @param memoryLogSeconds how often to print a memory line (0: only at start and stop)
 */
public record BenchOptions(Path socket, Path jwks, String aclSecret, Optional<String> jwt, int extraSockets,
                           boolean embeddedMetadata, Map<String, String> settings, int memoryLogSeconds) {
    /** The environment variable read when {@code --jwt} is not given (bench/run-refs.sh sets it). */
    public static final String JWT_ENV = "UDSBENCH_JWT";

    static final String USAGE = """
            usage: BenchServer --socket PATH --jwks FILE --acl UUID [--jwt TOKEN] [--extra-sockets N]
                               [--metadata memory|embedded] [--set KEY=VALUE]... [--memory-log-seconds N]
              --socket PATH            where to expose the task socket (a symlink to <secrets>/api.sock)
              --jwks FILE              JWKS with the Ed25519 key(s) that sign workload identities
              --acl UUID               secret of a management ACL token to accept
              --jwt TOKEN              the workload identity clients send (default: $UDSBENCH_JWT); its allocation
                                       is marked live and its namespace gets node write
              --extra-sockets N        open N more (idle) task sockets (default 0)
              --metadata KIND          node metadata in memory (default) or in the embedded SQLite store
              --set KEY=VALUE          a plugin setting (docs/operations.md), overriding the benchmark's
              --memory-log-seconds N   print a memory line every N seconds (default 10; 0: start and stop only)
            """;

    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Checks the values. */
    public BenchOptions {
        requireNonNull(socket, "socket is null");
        requireNonNull(jwks, "jwks is null");
        requireNonNull(aclSecret, "aclSecret is null");
        requireNonNull(jwt, "jwt is null");
        settings = Map.copyOf(requireNonNull(settings, "settings is null"));
        if (!UUID_SHAPE.matcher(aclSecret).matches()) {
            throw new IllegalArgumentException("--acl must be a UUID");
        }
        if (extraSockets < 0) {
            throw new IllegalArgumentException("--extra-sockets must not be negative");
        }
        if (memoryLogSeconds < 0) {
            throw new IllegalArgumentException("--memory-log-seconds must not be negative");
        }
    }

    /**
     * @param args the command line
     * @param env the environment ({@value #JWT_ENV} is read from it)
     * @return the options
     * @throws IllegalArgumentException with a message for the user when the command line is wrong
     */
    public static BenchOptions parse(String[] args, Map<String, String> env) {
        Path socket = null;
        Path jwks = null;
        String acl = null;
        String jwt = null;
        int extra = 0;
        boolean embedded = false;
        int memoryLog = 10;
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--socket" -> socket = Path.of(value).toAbsolutePath();
                case "--jwks" -> jwks = Path.of(value);
                case "--acl" -> acl = value.trim();
                case "--jwt" -> jwt = value.trim();
                case "--extra-sockets" -> extra = integer(flag, value);
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
        if (socket == null || jwks == null || acl == null) {
            throw new IllegalArgumentException("--socket, --jwks and --acl are required");
        }
        if (jwt == null || jwt.isEmpty()) {
            jwt = env.getOrDefault(JWT_ENV, "").trim();
        }
        return new BenchOptions(socket, jwks, acl, jwt.isEmpty() ? Optional.empty() : Optional.of(jwt), extra,
                embedded, settings, memoryLog);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number", e);
        }
    }

    /** @return the options without the secret and the token */
    @Override
    public String toString() {
        return "BenchOptions[socket=" + socket + ", jwks=" + jwks + ", jwt=" + (jwt.isPresent() ? "set" : "none")
                + ", extraSockets=" + extraSockets + ", metadata=" + (embeddedMetadata ? "embedded" : "memory")
                + ", settings=" + settings + ", memoryLogSeconds=" + memoryLogSeconds + "]";
    }
}
