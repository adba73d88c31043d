package io.taskapi.plugin.metrics;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.socket.SocketOrigin;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request on the logger {@code taskapi.audit}, in logfmt: time, task socket, identity (an
 * accessor id or a workload subject, never a secret), method, route pattern, status and latency. The route is the
 * pattern ({@code /v1/var/*path}), not the requested path, so nothing a caller sent ends up in the line.
 *
 * <p>Refusals anyone can cause at will (401 and 429) are summarized: per socket and status, the first in each
 * {@value #SUMMARY_SECONDS}-second window is written in full, and the rest are counted into one
 * {@code refusals_suppressed} line written once the window has passed (with the next audit line, or at close). A
 * flood of them costs a counter, not a log line each.
 */
public final class AuditLog implements AutoCloseable {
    static final long SUMMARY_SECONDS = 10;

    private static final Logger AUDIT = LoggerFactory.getLogger("taskapi.audit");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:*@-]+");

    private final Clock clock;
    private final Duration window = Duration.ofSeconds(SUMMARY_SECONDS);
    private final Map<RefusalKey, AtomicLong> suppressed = new ConcurrentHashMap<>();
    private volatile Instant windowStart;

    /** @param clock the time written on each line */
    @Inject
    public AuditLog(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.windowStart = clock.instant();
    }

    /**
     * @param origin the task socket and peer, if the request came through one
     * @param identity the caller's audit name, or {@code -} when it never authenticated
     * @param method the method
     * @param route the route pattern, or {@code -}
     * @param status the answer's status
     * @param nanos how long it took
     */
    public void record(Optional<SocketOrigin> origin, String identity, String method, String route, int status,
                       long nanos) {
        if (!AUDIT.isInfoEnabled()) {
            return;
        }
        Instant now = clock.instant();
        flushIfDue(now);
        String socket = origin.map(o -> o.socket().request().task().allocationId() + "/"
                + o.socket().request().task().taskName()).orElse("operator");
        if (status == 401 || status == 429) {
            AtomicLong count = suppressed.computeIfAbsent(new RefusalKey(socket, status), key -> new AtomicLong(-1));
            if (count.incrementAndGet() > 0) {
                return; // the window's first is written below; the rest go into its summary
            }
        }
        String peer = origin.map(o -> "pid=" + o.peer().pid() + " uid=" + o.peer().uid()).orElse("pid=- uid=-");
        AUDIT.info("time={} socket={} {} identity={} method={} route={} status={} latency_us={}",
                now, socket, peer, quote(identity), quote(method), quote(route), status, nanos / 1000);
    }

    /** Writes what is still counted. */
    @Override
    public synchronized void close() {
        flush(clock.instant());
    }

    private void flushIfDue(Instant now) {
        if (due(now)) {
            synchronized (this) {
                if (due(now)) {
                    flush(now);
                }
            }
        }
    }

    private boolean due(Instant now) {
        return Duration.between(windowStart, now).compareTo(window) >= 0;
    }

    /** Called holding this object's lock. */
    private void flush(Instant now) {
        Instant start = windowStart;
        windowStart = now;
        suppressed.forEach((key, count) -> {
            long refused = count.getAndSet(-1);
            if (refused > 0) {
                AUDIT.info("time={} socket={} refusals_suppressed={} status={} since={}", now, key.socket(),
                        refused, key.status(), start);
            } else if (refused < 0) {
                suppressed.remove(key, count); // quiet for a whole window: its socket may be gone
            }
        });
    }

    private static String quote(String value) {
        return PLAIN.matcher(value).matches() ? value : '"' + value.replace("\"", "'") + '"';
    }

    private record RefusalKey(String socket, int status) {}
}
