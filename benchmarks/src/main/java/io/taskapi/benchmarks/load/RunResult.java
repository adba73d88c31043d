package io.taskapi.benchmarks.load;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured run.
 *
 * @param name the row it belongs to
 * @param rep its repetition
 * @param startedAt when the measured window started
 * @param connections keep-alive connections
 * @param seconds the measured window's length
 * @param tally responses, latencies, statuses and errors
 * @param serverCpuSeconds the server's CPU time (user + system, with its children) in the window; -1 when unknown
 * @param clientCpuSeconds the load generator's own CPU time in the window
 * @param machineCpuSeconds the whole machine's busy CPU time in the window
 */
public record RunResult(String name, int rep, Instant startedAt, int connections, double seconds, Tally tally,
                        double serverCpuSeconds, double clientCpuSeconds, double machineCpuSeconds) {
    /** Checks the values. */
    public RunResult {
        requireNonNull(name, "name is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(tally, "tally is null");
    }

    static RunResult of(LoadOptions options, Instant startedAt, Tally tally, LoadGenerator.CpuWindow cpu) {
        return new RunResult(options.workload().label(), options.rep(), startedAt,
                options.workload().connections(), cpu.seconds(), tally, cpu.serverCpuSeconds(),
                cpu.clientCpuSeconds(), cpu.machineCpuSeconds());
    }

    /** @return complete responses a second, whatever their status */
    public double requestsPerSecond() {
        return seconds > 0 ? tally.responses() / seconds : 0;
    }

    /** @return the server's CPU microseconds per response; -1 when unknown */
    public double serverMicrosPerRequest() {
        return serverCpuSeconds < 0 || tally.responses() == 0 ? -1 : serverCpuSeconds * 1e6 / tally.responses();
    }

    /** @return CPU used by anything but the server and the load generator, in cores: other people's work */
    public double otherCores() {
        if (serverCpuSeconds < 0 || seconds <= 0) {
            return -1;
        }
        return Math.max(0, machineCpuSeconds - serverCpuSeconds - clientCpuSeconds) / seconds;
    }

    /** @return the result as the JSON object the raw results file holds, one per line */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("rep", rep);
        json.put("started", startedAt.toString());
        json.put("connections", connections);
        json.put("seconds", round(seconds, 3));
        json.put("requests", tally.responses());
        json.put("rps", round(requestsPerSecond(), 1));
        json.put("ok_2xx", tally.ok());
        json.put("non_2xx", tally.responses() - tally.ok());
        json.put("status", tally.statuses());
        json.put("errors", tally.errorCount());
        json.put("error_kinds", tally.errors());
        json.put("reconnects", tally.reconnects());
        LatencyHistogram latency = tally.latency();
        json.put("p50_us", micros(latency.percentile(50)));
        json.put("p90_us", micros(latency.percentile(90)));
        json.put("p99_us", micros(latency.percentile(99)));
        json.put("p999_us", micros(latency.percentile(99.9)));
        json.put("max_us", micros(latency.max()));
        json.put("mean_us", round(latency.mean() / 1e3, 1));
        json.put("server_cpu_s", round(serverCpuSeconds, 2));
        json.put("server_cores", serverCpuSeconds < 0 ? -1 : round(serverCpuSeconds / seconds, 2));
        json.put("server_us_per_req", round(serverMicrosPerRequest(), 2));
        json.put("client_cpu_s", round(clientCpuSeconds, 2));
        json.put("client_cores", round(clientCpuSeconds / seconds, 2));
        json.put("other_cores", round(otherCores(), 2));
        return json;
    }

    /** @return one readable line */
    public String summary() {
        LatencyHistogram latency = tally.latency();
        return String.format("%s rep %d: %,.0f req/s, p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs,"
                        + " statuses %s, errors %s, server %.1f µs/req (%.2f cores), client %.2f cores,"
                        + " others %.2f cores",
                name, rep, requestsPerSecond(), latency.percentile(50) / 1e3, latency.percentile(90) / 1e3,
                latency.percentile(99) / 1e3, latency.max() / 1e3, tally.statuses(), tally.errors(),
                serverMicrosPerRequest(), serverCpuSeconds / seconds, clientCpuSeconds / seconds, otherCores());
    }

    private static double micros(long nanos) {
        return round(nanos / 1e3, 1);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
