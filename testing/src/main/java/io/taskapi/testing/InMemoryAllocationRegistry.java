package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Allocation liveness in memory, for tests. Thread-safe. An allocation never marked is
 * {@link AllocationStatus#UNKNOWN}.
 *
 * <p>{@link #markLive(TaskRef)} also records what the allocation runs ({@link #workload}), which the Task API
 * compares with a workload identity's claims; {@link #markLive(String)} records nothing, so identities of such an
 * allocation are refused as not matching it until a task of it is marked live.
 *
 * <p>Subscribers hear of every allocation that goes from live (or from having a status) to terminal or unknown:
 * {@link #markTerminal} of a non-terminal allocation and {@link #forget} of a known one notify them, on the calling
 * thread, before the method returns. A listener that throws breaks the SPI's contract; the exception reaches the
 * caller after every listener has run, so that a test sees it. {@code faults().setUnavailable(true)} makes
 * {@link #status} and {@link #workload} throw {@link StateUnavailableException}, for 503 tests.
 *
 * <pre>{@code
 * InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
 * allocations.markLive(task.ref());                  // live, running this task of this job
 * allocations.markTerminal(task.allocationId());    // its workload identities must stop working now
 * }</pre>
 */
public final class InMemoryAllocationRegistry implements AllocationRegistry {
    private final ConcurrentMap<String, AllocationStatus> statuses = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AllocationWorkload> workloads = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final StoreFaults faults = new StoreFaults("the allocation registry");

    /** An empty registry. */
    public InMemoryAllocationRegistry() {}

    @Override
    public AllocationStatus status(String allocationId) throws StateUnavailableException {
        requireNonNull(allocationId, "allocationId is null");
        faults.lookup();
        return statuses.getOrDefault(allocationId, AllocationStatus.UNKNOWN);
    }

    @Override
    public Optional<AllocationWorkload> workload(String allocationId) throws StateUnavailableException {
        requireNonNull(allocationId, "allocationId is null");
        faults.lookup();
        return Optional.ofNullable(workloads.get(allocationId));
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
     * Marks an allocation live without saying what it runs: what was recorded for it before is kept, and if nothing
     * was, its workload identities are refused as not matching it.
     *
     * @param allocationId an allocation that is pending or running from now on
     */
    public void markLive(String allocationId) {
        statuses.put(requireNonNull(allocationId, "allocationId is null"), AllocationStatus.LIVE);
    }

    /**
     * Marks a task's allocation live and records that it runs this task, in the task's namespace, job and group;
     * marking another task of the same allocation adds it to the allocation's tasks.
     *
     * @param task a task of an allocation that is pending or running from now on
     * @throws IllegalArgumentException when the allocation was recorded with another namespace, job or group
     */
    public void markLive(TaskRef task) {
        requireNonNull(task, "task is null");
        AllocationWorkload added = new AllocationWorkload(task.namespace(), task.jobId(), task.group(),
                Set.of(task.taskName()));
        workloads.merge(task.allocationId(), added, (known, more) -> {
            if (!known.namespace().equals(more.namespace()) || !known.jobId().equals(more.jobId())
                    || !known.group().equals(more.group())) {
                throw new IllegalArgumentException("allocation " + task.allocationId() + " runs " + known
                        + ", not " + more);
            }
            Set<String> tasks = new HashSet<>(known.tasks());
            tasks.addAll(more.tasks());
            return new AllocationWorkload(known.namespace(), known.jobId(), known.group(), tasks);
        });
        statuses.put(task.allocationId(), AllocationStatus.LIVE);
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
     * Forgets an allocation (garbage collection): its status is {@link AllocationStatus#UNKNOWN} and its workload
     * unrecorded from now on.
     * Subscribers are told if it was known.
     *
     * @param allocationId the allocation
     */
    public void forget(String allocationId) {
        requireNonNull(allocationId, "allocationId is null");
        workloads.remove(allocationId);
        if (statuses.remove(allocationId) != null) {
            notifyEnded(allocationId);
        }
    }

    /** @return how many subscriptions are open: a test checks that a closed Task API closed its own */
    public int subscriberCount() {
        return listeners.size();
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

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "InMemoryAllocationRegistry[allocations=" + statuses + ", workloads=" + workloads + ", subscribers=" + listeners.size()
                + ", unavailable=" + faults.isUnavailable() + "]";
    }
}
