package io.taskapi.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.UnixHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Closed-loop HTTP/1.1 load over a Unix socket, one run: warm-up, then the measured window; prints one JSON line
 * ({@link RunResult}) on stdout and a readable summary on stderr. {@code --help} lists the options.
 */
public final class LoadGenerator {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LoadGenerator() {}

    /**
     * @param args see {@link LoadOptions#USAGE}
     * @throws Exception when the run fails
     */
    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!"help".equals(e.getMessage())) {
                System.err.println("LoadGenerator: " + e.getMessage());
            }
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.once()) {
            System.exit(once(options));
            return;
        }
        RunResult result = run(options);
        String json = MAPPER.writeValueAsString(result.toJson());
        System.out.println(json);
        System.err.println(result.summary());
        if (options.out().isPresent()) {
            Files.writeString(options.out().get(), json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /**
     * Runs the load and measures it.
     *
     * @param options what to run
     * @return the result
     * @throws InterruptedException when interrupted
     */
    public static RunResult run(LoadOptions options) throws InterruptedException {
        LoadEngine engine = new LoadEngine(options.socket(), List.of(options.workload()), options.threads(),
                options.timeout());
        CpuWindow cpu = new CpuWindow(options.serverPid());
        Instant startedAt = Instant.now().plus(options.warmup());
        Map<String, Tally> tallies = engine.run(options.warmup(), options.duration(), cpu);
        return RunResult.of(options, startedAt, tallies.get(options.workload().label()), cpu);
    }

    private static int once(LoadOptions options) throws IOException {
        try (UnixHttpClient client = UnixHttpClient.at(options.socket())) {
            HttpResponse response = client.exchangeRaw(options.workload().encode());
            System.out.println(response.status() + " " + response.body());
            return response.status() / 100 == 2 ? 0 : 1;
        }
    }

    /** CPU counters read at the edges of the measured window. */
    static final class CpuWindow implements LoadEngine.Window {
        private final OptionalLong serverPid;
        private long startNanos;
        private long endNanos;
        private long serverTicks0;
        private long serverTicks1;
        private boolean serverGone;
        private long selfTicks0;
        private long selfTicks1;
        private long busyTicks0;
        private long busyTicks1;

        CpuWindow(OptionalLong serverPid) {
            this.serverPid = serverPid;
        }

        @Override
        public void started() {
            startNanos = System.nanoTime();
            serverTicks0 = serverTicks();
            selfTicks0 = ProcCpu.selfTicks();
            busyTicks0 = ProcCpu.machineBusyTicks();
        }

        @Override
        public void ended() {
            endNanos = System.nanoTime();
            serverTicks1 = serverTicks();
            selfTicks1 = ProcCpu.selfTicks();
            busyTicks1 = ProcCpu.machineBusyTicks();
        }

        private long serverTicks() {
            if (serverPid.isEmpty()) {
                return 0;
            }
            OptionalLong ticks = ProcCpu.processTreeTicks(serverPid.getAsLong());
            serverGone |= ticks.isEmpty();
            return ticks.orElse(0);
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        /** @return the server's CPU seconds in the window, or -1 when no pid was given or the process went away */
        double serverCpuSeconds() {
            return serverPid.isEmpty() || serverGone
                    ? -1 : (serverTicks1 - serverTicks0) / (double) ProcCpu.TICKS_PER_SECOND;
        }

        double clientCpuSeconds() {
            return (selfTicks1 - selfTicks0) / (double) ProcCpu.TICKS_PER_SECOND;
        }

        /** @return CPU seconds the whole machine was busy in the window */
        double machineCpuSeconds() {
            return (busyTicks1 - busyTicks0) / (double) ProcCpu.TICKS_PER_SECOND;
        }
    }
}
