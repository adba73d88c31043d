package io.taskapi.benchmarks.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.benchmarks.load.LoadEngine;
import io.taskapi.benchmarks.load.LoadOptions;
import io.taskapi.benchmarks.load.Tally;
import io.taskapi.benchmarks.load.Workload;
import io.taskapi.benchmarks.server.BenchCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The soak run: many connections for minutes, mixing valid requests (GET and POST with the workload identity),
 * requests without a token (401), with an unknown token (403), and slow clients that trickle a byte every few seconds.
 * The server's RSS, threads and descriptors are read {@value #READINGS} times per sample interval (the largest
 * reading of each interval is kept) and its live heap once (from its memory line, printed after a full GC); at the
 * end they must be flat from the first interval on (the tolerances below), and every request must have ended as its
 * kind should.
 *
 * <p>{@code Soak --socket S --credentials DIR --server-pid PID --server-log FILE [--duration 5m] [--connections 64]
 * [--sample 60s] [--slow-interval 2s] [--out FILE]}. Exit status 0 when it passes, 1 when not.
 */
public final class Soak {
    /** RSS may grow by this fraction of the first interval's (or {@link #RSS_SLACK_KB}, whichever is more). */
    static final double RSS_GROWTH = 0.15;
    static final long RSS_SLACK_KB = 32 * 1024;
    /** The live heap may grow by this fraction (or {@link #HEAP_SLACK_KB}, whichever is more). */
    static final double HEAP_GROWTH = 0.10;
    static final long HEAP_SLACK_KB = 8 * 1024;
    /** Threads may vary this much (the JIT adds and retires compiler threads; the pool grows and shrinks). */
    static final long THREAD_SLACK = 4;
    /** Descriptors may vary this much (connections the server closed are being redialled). */
    static final long FD_SLACK = 8;
    /** What a slow client's request may end in besides its normal answer: refused by the server. */
    static final Set<String> SLOW_REFUSALS = Set.of("408", "closed-by-server");

    /** Readings of the server's footprint per sample interval. */
    static final int READINGS = 12;

    private Soak() {}

    /**
     * @param args see the class comment
     * @throws Exception when the soak cannot run
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> flags = flags(args);
        Path socket = Path.of(required(flags, "--socket"));
        Path credentials = Path.of(required(flags, "--credentials"));
        long pid = Long.parseLong(required(flags, "--server-pid"));
        Path serverLog = Path.of(required(flags, "--server-log"));
        Duration duration = LoadOptions.parseDuration(flags.getOrDefault("--duration", "5m"));
        Duration sample = LoadOptions.parseDuration(flags.getOrDefault("--sample", "60s"));
        Duration slowInterval = LoadOptions.parseDuration(flags.getOrDefault("--slow-interval", "2s"));
        int connections = Integer.parseInt(flags.getOrDefault("--connections", "64"));
        if (connections < 8) {
            throw new IllegalArgumentException("--connections must be at least 8");
        }
        if (duration.compareTo(sample.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("--duration must cover at least two --sample intervals");
        }
        String jwt = Files.readString(credentials.resolve(BenchCredentials.JWT_FILE)).trim();
        String acl = Files.readString(credentials.resolve(BenchCredentials.ACL_FILE)).trim();

        int eighth = connections / 8;
        int slow = Math.max(2, eighth);
        List<Workload> fast = List.of(
                new Workload("valid-get", "GET", "/v1/client/metadata", List.of("X-Nomad-Token: " + jwt),
                        new byte[0], connections - 3 * eighth - slow),
                new Workload("valid-post", "POST", "/v1/client/metadata",
                        List.of("X-Nomad-Token: " + jwt, "Content-Type: application/json"),
                        "{\"Meta\":{\"bench.key\":\"v\"}}".getBytes(StandardCharsets.US_ASCII), eighth),
                new Workload("no-token-401", "GET", "/v1/client/metadata", List.of(), new byte[0], eighth),
                new Workload("unknown-token-403", "GET", "/v1/client/metadata",
                        List.of("X-Nomad-Token: " + UUID.randomUUID()), new byte[0], eighth));
        List<SlowClient> slowClients = new ArrayList<>();
        List<Thread> slowThreads = new ArrayList<>();
        for (int i = 0; i < slow; i++) {
            SlowClient client = new SlowClient(i % 2 == 0 ? SlowClient.Kind.HEAD : SlowClient.Kind.BODY, socket, acl,
                    slowInterval);
            slowClients.add(client);
            Thread thread = new Thread(client, "slow-" + i);
            thread.setDaemon(true);
            slowThreads.add(thread);
        }

        LoadEngine engine = new LoadEngine(socket, fast, 2, Duration.ofSeconds(10));
        List<ProcessSample> samples = new ArrayList<>();
        long started = System.nanoTime();
        Thread sampler = new Thread(() -> {
            // RSS swings by tens of MB within seconds (direct buffers, malloc arenas), so each interval reports the
            // largest of READINGS readings taken across it, and intervals are compared by those maxima.
            long step = sample.toNanos() / READINGS;
            ProcessSample largest = null;
            for (long k = 1; ; k++) {
                long due = started + step * k;
                try {
                    long left;
                    while ((left = due - System.nanoTime()) > 0) {
                        Thread.sleep(Math.max(1, left / 1_000_000));
                    }
                    ProcessSample now = ProcessSample.take(pid, (System.nanoTime() - started) / 1_000_000_000L,
                            serverLog);
                    largest = largest == null ? now : largest.max(now);
                    if (k % READINGS == 0) {
                        synchronized (samples) {
                            samples.add(largest);
                        }
                        System.err.println("soak: interval " + largest);
                        largest = null;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    System.err.println("soak: cannot sample the server: " + e.getMessage());
                    engine.stop();
                    return;
                }
            }
        }, "soak-sampler");
        sampler.setDaemon(true);
        slowThreads.forEach(Thread::start);
        sampler.start();
        System.err.printf("soak: %d connections (%s; %d slow, a byte every %d ms) for %d s, sampling every %d s%n",
                connections, describe(fast), slow, slowInterval.toMillis(), duration.toSeconds(), sample.toSeconds());
        // A little over the duration, so that the last sample falls inside the load.
        Map<String, Tally> tallies = engine.run(Duration.ZERO, duration.plusSeconds(2), new LoadEngine.Window() {
            @Override
            public void started() {}

            @Override
            public void ended() {}
        });
        sampler.interrupt();
        slowClients.forEach(SlowClient::stop);
        for (Thread thread : slowThreads) {
            thread.join(5_000);
        }

        List<ProcessSample> taken;
        synchronized (samples) {
            taken = List.copyOf(samples);
        }
        Verdict verdict = Verdict.of(taken, tallies, slowClients);
        System.out.print(verdict.report());
        if (flags.containsKey("--out")) {
            Files.writeString(Path.of(flags.get("--out")),
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(verdict.toJson()) + "\n");
        }
        System.exit(verdict.passed() ? 0 : 1);
    }

    private static String describe(List<Workload> workloads) {
        StringBuilder out = new StringBuilder();
        for (Workload w : workloads) {
            out.append(out.length() == 0 ? "" : ", ").append(w.connections()).append(' ').append(w.label());
        }
        return out.toString();
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(args[args.length - 1] + " needs a value");
        }
        return flags;
    }

    private static String required(Map<String, String> flags, String name) {
        String value = flags.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
