package io.taskapi.plugin.metrics;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.rejection.RejectionReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The API's own counters, cheap enough to update on every request (LongAdders, no locks): requests by route, method
 * and status; refused credentials by reason; rate-limited requests; and a latency histogram.
 *
 * <p>Every label comes from a small fixed set, never from the caller: a counter per distinct label set lives for the
 * agent's life, so a caller-chosen label would let any task grow memory and the scrape without bound. Methods are
 * HTTP's usual ones or {@link #OTHER_METHOD}; routes are the router's path patterns (or {@code -} when none
 * matched), never raw paths; statuses are the ones the API answers with.
 */
public final class ApiMetrics {
    /** The method label of a request whose method is not one of {@link #KNOWN_METHODS}. */
    public static final String OTHER_METHOD = "OTHER";
    /** Methods counted under their own name. */
    public static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
            "OPTIONS");

    /** Latency histogram bucket bounds, in seconds (Prometheus {@code le}). */
    static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> authFailures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rateLimited = new ConcurrentHashMap<>();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BOUNDS.length + 1];
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();

    private final AtomicInteger blockedQueries = new AtomicInteger();

    /** Starts every count at zero. */
    public ApiMetrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
    }

    /**
     * @param route the route's path pattern, or {@code -} when no route was reached; never a raw path
     * @param method the request's method, as sent: any other than {@link #KNOWN_METHODS} is counted as
     *     {@link #OTHER_METHOD}
     * @param status the answer's status
     * @param nanos how long it took
     */
    public void requestServed(String route, String method, int status, long nanos) {
        requests.computeIfAbsent(new RequestKey(route, methodLabel(method), status), key -> new LongAdder())
                .increment();
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < LATENCY_BOUNDS.length && seconds > LATENCY_BOUNDS[bucket]) {
            bucket++;
        }
        latencyBuckets[bucket].increment();
        latencyCount.increment();
        latencyNanos.add(nanos);
    }

    /**
     * @param method a request's method, as sent
     * @return its label: the method itself when it is one of {@link #KNOWN_METHODS} (case-sensitive, as HTTP
     *     methods are), else {@link #OTHER_METHOD}
     */
    static String methodLabel(String method) {
        return method != null && KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    /** @param reason why a credential was refused */
    public void authenticationFailed(RejectionReason reason) {
        authenticationFailed(reason.name().toLowerCase(Locale.ROOT));
    }

    /** @param reason why a request was refused before verification: {@code missing}, {@code peer}, {@code listener} */
    public void authenticationFailed(String reason) {
        authFailures.computeIfAbsent(reason, key -> new LongAdder()).increment();
    }

    /** @param kind {@code rate} or {@code connections} */
    public void rateLimited(String kind) {
        rateLimited.computeIfAbsent(kind, key -> new LongAdder()).increment();
    }

    /** A blocking query began to wait, holding no thread. */
    public void queryParked() {
        blockedQueries.incrementAndGet();
    }

    /** A blocking query stopped waiting (a change, or its wait is over) and runs again. */
    public void queryUnparked() {
        blockedQueries.decrementAndGet();
    }

    /**
     * @param openSockets the task sockets open now
     * @return every metric, as a consistent-enough copy for one scrape
     */
    public Snapshot snapshot(int openSockets) {
        Map<RequestKey, Long> requestCounts = new TreeMap<>();
        requests.forEach((key, count) -> requestCounts.put(key, count.sum()));
        Map<String, Long> failures = new TreeMap<>();
        authFailures.forEach((key, count) -> failures.put(key, count.sum()));
        Map<String, Long> limited = new TreeMap<>();
        rateLimited.forEach((key, count) -> limited.put(key, count.sum()));
        List<Long> cumulative = new ArrayList<>();
        long running = 0;
        for (LongAdder bucket : latencyBuckets) {
            running += bucket.sum();
            cumulative.add(running);
        }
        return new Snapshot(requestCounts, failures, limited, openSockets, cumulative, latencyCount.sum(),
                latencyNanos.sum() / 1e9, blockedQueries.get());
    }

    /**
     * A request counter's labels.
     *
     * @param route the route pattern
     * @param method the method
     * @param status the status
     */
    public record RequestKey(String route, String method, int status) implements Comparable<RequestKey> {
        /** Checks that nothing is missing. */
        public RequestKey {
            requireNonNull(route, "route is null");
            requireNonNull(method, "method is null");
        }

        @Override
        public int compareTo(RequestKey other) {
            int byRoute = route.compareTo(other.route);
            if (byRoute != 0) {
                return byRoute;
            }
            int byMethod = method.compareTo(other.method);
            return byMethod != 0 ? byMethod : Integer.compare(status, other.status);
        }
    }

    /**
     * One scrape's worth of metrics.
     *
     * @param requests requests by labels
     * @param authFailures refused credentials by reason
     * @param rateLimited rate-limited requests by kind
     * @param openSockets task sockets open
     * @param latencyCumulative cumulative counts per bucket of {@link #LATENCY_BOUNDS}, then +Inf
     * @param latencyCount requests timed
     * @param latencySumSeconds their total time
     * @param blockedQueries blocking queries waiting now
     */
    public record Snapshot(Map<RequestKey, Long> requests, Map<String, Long> authFailures,
                           Map<String, Long> rateLimited, int openSockets, List<Long> latencyCumulative,
                           long latencyCount, double latencySumSeconds, int blockedQueries) {}
}
