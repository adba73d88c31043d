package io.taskapi.examples.agent;

import io.taskapi.spi.state.StateUnavailableException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells etcd what this agent's node and allocations are, on one background thread, so that the scheduler never waits
 * for etcd and nothing is lost while etcd is away: the latest write for each key is kept until etcd takes it (retried
 * every second), and a newer write for the same key replaces a pending one (an allocation that ended before its start
 * was published is published as ended only).
 */
final class ClusterPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPublisher.class);
    private static final long RETRY_MILLIS = 1000;
    /** Failing shorter than this is normal (the caches load at start) and not worth a warning. */
    private static final long WARN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** One idempotent write to etcd. */
    @FunctionalInterface
    interface Write {
        void run() throws StateUnavailableException;
    }

    private final Map<String, Write> pending = new LinkedHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread daemon = new Thread(runnable, "taskapi-cluster-publisher");
        daemon.setDaemon(true);
        return daemon;
    });
    private long failingSince;
    private boolean warned;

    /**
     * @param key what the write is about (a later write for it replaces this one while it is pending)
     * @param write the write
     */
    void publish(String key, Write write) {
        synchronized (pending) {
            pending.remove(key); // re-inserted last: writes are made in the order they were asked for
            pending.put(key, write);
        }
        schedule(0);
    }

    /** Makes the pending writes in order; stops at the first failure and tries again in a second. */
    private void flush() {
        while (true) {
            Map.Entry<String, Write> next;
            synchronized (pending) {
                Iterator<Map.Entry<String, Write>> first = pending.entrySet().iterator();
                if (!first.hasNext()) {
                    return;
                }
                next = first.next();
            }
            try {
                next.getValue().run();
            } catch (StateUnavailableException | RuntimeException e) {
                long now = System.nanoTime();
                if (failingSince == 0) {
                    failingSince = now;
                } else if (!warned && now - failingSince > WARN_AFTER_NANOS) {
                    warned = true;
                    LOG.warn("cannot tell etcd about {} ({}); retrying every {} ms", next.getKey(), e.getMessage(),
                            RETRY_MILLIS);
                }
                schedule(RETRY_MILLIS);
                return;
            }
            synchronized (pending) {
                pending.remove(next.getKey(), next.getValue());
            }
            if (warned) {
                LOG.info("etcd takes this agent's node and allocation updates again");
            }
            failingSince = 0;
            warned = false;
        }
    }

    private void schedule(long delayMillis) {
        try {
            var unused = thread.schedule(this::flush, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the agent is stopping, and its lease with it
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
