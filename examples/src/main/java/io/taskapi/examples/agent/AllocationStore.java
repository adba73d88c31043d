package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.Subscription;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocations this agent placed, and the {@link AllocationRegistry} the plugin asks whether an identity's
 * allocation is still live. Each allocation keeps itself on disk through its journal ({@link ClientState}); after a
 * restart the scheduler loads them back here.
 */
public final class AllocationStore implements AllocationRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(AllocationStore.class);

    private final Map<String, Allocation> allocations = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Allocation>> added = new CopyOnWriteArrayList<>();

    /** Creates an empty store. */
    public AllocationStore() {}

    /** @param allocation a new allocation */
    public void add(Allocation allocation) {
        requireNonNull(allocation, "allocation is null");
        if (allocations.putIfAbsent(allocation.id(), allocation) != null) {
            throw new IllegalStateException("allocation " + allocation.id() + " exists");
        }
        for (Consumer<Allocation> listener : added) {
            listener.accept(allocation);
        }
    }

    /** @param listener told of each allocation added: a new one, or one loaded back at start */
    public void onAdded(Consumer<Allocation> listener) {
        added.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * @param id an allocation id
     * @return the allocation
     */
    public Optional<Allocation> find(String id) {
        return Optional.ofNullable(allocations.get(id));
    }

    /** @return every allocation, oldest first */
    public List<Allocation> list() {
        return allocations.values().stream()
                .sorted(Comparator.comparing((Allocation a) -> a.toJson().get("CreateTime").asLong())
                        .thenComparing(Allocation::id))
                .toList();
    }

    /**
     * Tells the plugin an allocation is over, so it drops what it cached for its identities at once.
     *
     * @param id the allocation
     */
    public void ended(String id) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("allocation-ended listener failed for {}: {}", id, e.toString());
            }
        }
    }

    @Override
    public AllocationStatus status(String allocationId) {
        requireNonNull(allocationId, "allocationId is null");
        Allocation allocation = allocations.get(allocationId);
        if (allocation == null) {
            return AllocationStatus.UNKNOWN;
        }
        return allocation.clientStatus().terminal() ? AllocationStatus.TERMINAL : AllocationStatus.LIVE;
    }

    @Override
    public Optional<AllocationWorkload> workload(String allocationId) {
        requireNonNull(allocationId, "allocationId is null");
        return find(allocationId).map(allocation -> new AllocationWorkload(allocation.namespace(),
                allocation.jobId(), allocation.group(), Set.copyOf(allocation.taskNames())));
    }

    @Override
    public Subscription onAllocationEnded(Consumer<String> listener) {
        requireNonNull(listener, "listener is null");
        // A wrapper per subscription: the same listener subscribed twice is two subscriptions, and closing one
        // (however often) leaves the other.
        Consumer<String> entry = listener::accept;
        listeners.add(entry);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                listeners.remove(entry);
            }
        };
    }
}
