package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Allocation liveness in memory, for tests. Thread-safe. An allocation never marked is {@link AllocationStatus#UNKNOWN}.
 *
 * <p>Subscribers hear of every allocation that goes from live (or from having a status) to terminal or unknown:
 * {@link #markTerminal} of a non-terminal allocation and {@link #forget} of a known one notify them, on the calling
 * thread, before the method returns. A listener that throws breaks the SPI's contract; the exception reaches the
 * caller after every listener has run, so that a test sees it. {@link #setUnavailable(boolean)} makes
 * {@link #status} throw {@link StateUnavailableException}, for 503 tests.
 *
 * <pre>{@code
 * InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
 * allocations.markLive(task.allocationId());
 * allocations.markTerminal(task.allocationId());    // its workload identities must stop working now
 * }</pre>
 */
public final class InMemoryAllocationRegistry implements AllocationRegistry {
    private final ConcurrentMap<String, AllocationStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Availability availability = new Availability("the allocation registry");

    /** An empty registry. */
    public InMemoryAllocationRegistry() {}

    @Override
    public AllocationStatus status(String allocationId) throws StateUnavailableException {
        requireNonNull(allocationId, "allocationId is null");
        availability.check();
        return statuses.getOrDefault(allocationId, AllocationStatus.UNKNOWN);
    }

    @Override
    public Subscription onAllocationEnded(Consumer<String> listener) {
        requireNonNull(listener, "listener is null");
        // A wrapper per subscription, so that the same listener subscribed twice is removed once per close.
        Consumer<String> entry = listener::accept;
        listeners.add(entry);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                listeners.remove(entry);
            }
        };
    }

    /**
     * @param allocationId an allocation that is pending or running from now on
     */
    public void markLive(String allocationId) {
        statuses.put(requireNonNull(allocationId, "allocationId is null"), AllocationStatus.LIVE);
    }

    /**
     * Marks an allocation complete, failed or lost, and tells subscribers if it was not terminal already.
     *
     * @param allocationId the allocation
     */
    public void markTerminal(String allocationId) {
        requireNonNull(allocationId, "allocationId is null");
        if (statuses.put(allocationId, AllocationStatus.TERMINAL) != AllocationStatus.TERMINAL) {
            notifyEnded(allocationId);
        }
    }

    /**
     * Forgets an allocation (garbage collection): its status is {@link AllocationStatus#UNKNOWN} from now on.
     * Subscribers are told if it was known.
     *
     * @param allocationId the allocation
     */
    public void forget(String allocationId) {
        requireNonNull(allocationId, "allocationId is null");
        if (statuses.remove(allocationId) != null) {
            notifyEnded(allocationId);
        }
    }

    /** @return how many subscriptions are open: a test checks that a closed Task API closed its own */
    public int subscriberCount() {
        return listeners.size();
    }

    /** @param unavailable whether {@link #status} fails with {@link StateUnavailableException} from now on */
    public void setUnavailable(boolean unavailable) {
        availability.set(unavailable);
    }

    /** @return whether {@link #status} fails */
    public boolean isUnavailable() {
        return availability.unavailable();
    }

    /** @return how many {@link #status} calls were made, failed ones included */
    public long lookupCount() {
        return availability.calls();
    }

    private void notifyEnded(String allocationId) {
        RuntimeException failure = null;
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(allocationId);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("an onAllocationEnded listener threw", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "InMemoryAllocationRegistry[allocations=" + statuses + ", subscribers=" + listeners.size()
                + ", unavailable=" + isUnavailable() + "]";
    }
}
