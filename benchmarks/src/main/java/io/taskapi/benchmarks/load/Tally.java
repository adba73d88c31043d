package io.taskapi.benchmarks.load;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one workload's connections saw in the measured window: latencies, statuses, errors by kind. Each load thread
 * keeps its own; {@link #add} merges them. Not thread-safe.
 */
public final class Tally {
    /** Why a request got no response. */
    public enum ErrorKind {
        /** The connection could not be made. */
        DIAL,
        /** The server closed or reset the connection mid-request. */
        CLOSED,
        /** No complete response within the timeout. */
        TIMEOUT,
        /** The response could not be parsed. */
        PROTOCOL,
        /** Any other I/O failure. */
        OTHER
    }

    private final LatencyHistogram latency = new LatencyHistogram();
    private final long[] statuses = new long[600];
    private final long[] errors = new long[ErrorKind.values().length];
    private long reconnects;

    void response(int status, long nanos) {
        latency.record(nanos);
        statuses[Math.min(Math.max(status, 0), statuses.length - 1)]++;
    }

    void error(ErrorKind kind) {
        errors[kind.ordinal()]++;
    }

    void reconnect() {
        reconnects++;
    }

    /**
     * @param other another thread's tally of the same workload
     */
    public void add(Tally other) {
        requireNonNull(other, "other is null");
        latency.add(other.latency);
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] += other.statuses[i];
        }
        for (int i = 0; i < errors.length; i++) {
            errors[i] += other.errors[i];
        }
        reconnects += other.reconnects;
    }

    /** @return complete responses, whatever their status */
    public long responses() {
        return latency.count();
    }

    /** @return the latency of every complete response, in nanoseconds */
    public LatencyHistogram latency() {
        return latency;
    }

    /** @return responses by status code, ascending */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (int i = 0; i < statuses.length; i++) {
            if (statuses[i] > 0) {
                byStatus.put(i, statuses[i]);
            }
        }
        return byStatus;
    }

    /** @return responses with a 2xx status */
    public long ok() {
        long ok = 0;
        for (int i = 200; i < 300; i++) {
            ok += statuses[i];
        }
        return ok;
    }

    /** @return requests that got no response, by kind (only kinds that occurred) */
    public Map<String, Long> errors() {
        Map<String, Long> byKind = new TreeMap<>();
        for (ErrorKind kind : ErrorKind.values()) {
            if (errors[kind.ordinal()] > 0) {
                byKind.put(kind.name().toLowerCase(Locale.ROOT), errors[kind.ordinal()]);
            }
        }
        return byKind;
    }

    /** @return requests that got no response */
    public long errorCount() {
        long sum = 0;
        for (long count : errors) {
            sum += count;
        }
        return sum;
    }

    /** @return connections the server closed cleanly after a response ({@code Connection: close}), then redialled */
    public long reconnects() {
        return reconnects;
    }
}
