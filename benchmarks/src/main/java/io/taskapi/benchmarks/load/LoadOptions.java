package io.taskapi.benchmarks.load;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator's command line.
 *
 * @param socket the server's Unix socket
 * @param workload what to send, on how many connections
 * @param threads event-loop threads
 * @param warmup unmeasured load first
 * @param duration the measured window
 * @param timeout how long a response may take before it counts as an error
 * @param serverPid the server's process, whose CPU (with its children's) is measured, if given
 * @param rep the repetition number, written to the result
 * @param out a file to append the result's JSON line to, if any
 * @param once send one request, print its status and body, and exit (0 on 2xx)
 */
public record LoadOptions(Path socket, Workload workload, int threads, Duration warmup, Duration duration,
                          Duration timeout, OptionalLong serverPid, int rep, Optional<Path> out, boolean once) {
    static final String USAGE = """
            usage: LoadGenerator --socket PATH [--name NAME] [-c CONNECTIONS] [--threads N] [--warmup 2s]
                                 [--duration 10s] [--timeout 5s] [--method GET] [--path /] [-H 'Name: value']...
                                 [--body TEXT|@FILE] [--server-pid PID] [--rep N] [--out FILE] [--once]
              -c, --connections N   keep-alive connections, closed loop (default 16)
              --threads N           event-loop threads the connections share (default 1)
              --warmup, --duration  unmeasured load, then the measured window (ms, s or m; default 2s, 10s)
              --timeout             a request without a response after this is an error (default 5s)
              --server-pid PID      measure this process's CPU (and its children's) over the window
              --out FILE            append the result's JSON line to FILE (it is always printed on stdout)
              --once                send one request, print "STATUS BODY", exit 0 on 2xx, 1 otherwise
            """;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

    /** Checks the values. */
    public LoadOptions {
        requireNonNull(socket, "socket is null");
        requireNonNull(workload, "workload is null");
        requireNonNull(warmup, "warmup is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(serverPid, "serverPid is null");
        requireNonNull(out, "out is null");
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1");
        }
        if (duration.isZero() || timeout.isZero()) {
            throw new IllegalArgumentException("--duration and --timeout must be positive");
        }
    }

    /**
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException with a message for the user ("help" for {@code --help})
     */
    public static LoadOptions parse(String[] args) {
        Path socket = null;
        String name = "load";
        int connections = 16;
        int threads = 1;
        Duration warmup = Duration.ofSeconds(2);
        Duration duration = Duration.ofSeconds(10);
        Duration timeout = Duration.ofSeconds(5);
        String method = "GET";
        String path = "/";
        List<String> headers = new ArrayList<>();
        byte[] body = new byte[0];
        OptionalLong pid = OptionalLong.empty();
        int rep = 1;
        Path out = null;
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new IllegalArgumentException("help");
            }
            if (flag.equals("--once")) {
                once = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--socket" -> socket = Path.of(value);
                case "--name" -> name = value;
                case "-c", "--connections" -> connections = integer(flag, value);
                case "--threads" -> threads = integer(flag, value);
                case "--warmup" -> warmup = duration(flag, value);
                case "-d", "--duration" -> duration = duration(flag, value);
                case "--timeout" -> timeout = duration(flag, value);
                case "--method" -> method = value;
                case "--path" -> path = value;
                case "-H", "--header" -> headers.add(value);
                case "--body" -> body = body(value);
                case "--server-pid" -> pid = OptionalLong.of(integer(flag, value));
                case "--rep" -> rep = integer(flag, value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (socket == null) {
            throw new IllegalArgumentException("--socket is required");
        }
        return new LoadOptions(socket, new Workload(name, method, path, headers, body, connections), threads, warmup,
                duration, timeout, pid, rep, Optional.ofNullable(out), once);
    }

    /**
     * @param value {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 5m}
     * @return the duration
     * @throws IllegalArgumentException when it is not one
     */
    public static Duration parseDuration(String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration (like 500ms, 10s, 5m): " + value);
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            default -> amount * 60_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    private static Duration duration(String flag, String value) {
        try {
            return parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    private static byte[] body(String value) {
        if (!value.startsWith("@")) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Files.readAllBytes(Path.of(value.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the body file " + value.substring(1), e);
        }
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number", e);
        }
    }
}
