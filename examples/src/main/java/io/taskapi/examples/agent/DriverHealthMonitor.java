package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.DriverHealth;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.state.NodeDriver;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fingerprints the agent's drivers ({@link TaskDriver#fingerprint()}) at start and every {@link #PERIOD} after, as
 * Nomad's client does, and publishes each one's health in the node's {@code Drivers} (with {@code driver.NAME = "1"}
 * and the driver's attributes in the node's attributes while it is detected). A health's {@code UpdateTime} is when it
 * last changed.
 *
 * <p>Thread-safe.
 */
final class DriverHealthMonitor implements AutoCloseable {
    /** How often the drivers are fingerprinted again. */
    static final Duration PERIOD = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(DriverHealthMonitor.class);

    private final DriverCatalog drivers;
    private final LocalNodeRegistry node;
    private final Clock clock;
    private final Map<String, NodeDriver> published = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> refreshing;

    DriverHealthMonitor(DriverCatalog drivers, LocalNodeRegistry node, Clock clock) {
        this.drivers = requireNonNull(drivers, "drivers is null");
        this.node = requireNonNull(node, "node is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Fingerprints every driver now and publishes the result. */
    void refreshAll() {
        for (String name : drivers.names()) {
            refresh(name);
        }
    }

    /**
     * Fingerprints one driver now and publishes the result.
     *
     * @param name a driver's name
     * @return its health as published, or empty when there is no such driver
     */
    Optional<NodeDriver> refresh(String name) {
        Optional<TaskDriver> driver = drivers.find(name);
        if (driver.isEmpty()) {
            return Optional.empty();
        }
        DriverHealth health;
        try {
            health = requireNonNull(driver.get().fingerprint(), "fingerprint() returned null");
        } catch (RuntimeException e) {
            health = DriverHealth.unhealthy("fingerprint failed: " + e);
        }
        synchronized (this) {
            NodeDriver previous = published.get(name);
            NodeDriver now = new NodeDriver(health.detected(), health.healthy(), health.description(),
                    clock.instant(), health.attributes());
            if (previous != null && same(previous, now)) {
                return Optional.of(previous);
            }
            if (previous == null || previous.healthy() != now.healthy()) {
                LOG.info("driver {}: {} ({})", name, now.healthy() ? "healthy" : "unhealthy",
                        now.healthDescription());
            }
            published.put(name, now);
            node.publishDrivers(published);
            return Optional.of(now);
        }
    }

    /** Starts fingerprinting every {@link #PERIOD}, on a daemon thread. */
    synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "taskapi-driver-fingerprint");
            thread.setDaemon(true);
            return thread;
        });
        refreshing = timer.scheduleWithFixedDelay(this::refreshAll, PERIOD.toMillis(), PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            refreshing.cancel(false);
            timer.shutdownNow();
        }
    }

    private static boolean same(NodeDriver a, NodeDriver b) {
        return a.detected() == b.detected() && a.healthy() == b.healthy()
                && a.healthDescription().equals(b.healthDescription()) && a.attributes().equals(b.attributes());
    }
}
