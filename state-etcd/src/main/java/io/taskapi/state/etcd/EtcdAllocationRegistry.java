package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every agent's allocations ({@code allocations/<id>}: node, workload, live or terminal), answered from memory. An
 * allocation is live only while its record says so and its node's agent holds its lease ({@code node-alive/<node>}):
 * when an agent dies, the identities of its allocations stop working on every agent once the lease expires.
 */
public final class EtcdAllocationRegistry implements AllocationRegistry {
    private final EtcdState state;
    private final WatchedPrefix<Codec.Allocation> cache;
    private final WatchedPrefix<Boolean> liveNodes;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    EtcdAllocationRegistry(EtcdState state, WatchedPrefix<Boolean> liveNodes) {
        this.state = state;
        this.liveNodes = liveNodes;
        this.cache = state.cache("allocations", KeyLayout.ALLOCATIONS,
                (key, value, create, modify) -> Codec.allocation(value), null);
        cache.onKeyChange((id, before, after) -> {
            if (before != null && before.live() && (after == null || !after.live())) {
                tell(id);
            }
        });
        liveNodes.onKeyChange((nodeId, before, after) -> {
            if (before != null && after == null) {
                nodeWentDown(nodeId);
            }
        });
    }

    @Override
    public AllocationStatus status(String allocationId) throws StateUnavailableException {
        requireNonNull(allocationId, "allocationId is null");
        Optional<Codec.Allocation> allocation = cache.get(allocationId);
        if (allocation.isEmpty()) {
            return AllocationStatus.UNKNOWN;
        }
        return allocation.get().live() && liveNodes.get(allocation.get().nodeId()).isPresent()
                ? AllocationStatus.LIVE : AllocationStatus.TERMINAL;
    }

    @Override
    public Optional<AllocationWorkload> workload(String allocationId) throws StateUnavailableException {
        requireNonNull(allocationId, "allocationId is null");
        return cache.get(allocationId).map(Codec.Allocation::workload);
    }

    @Override
    public Subscription onAllocationEnded(Consumer<String> listener) {
        requireNonNull(listener, "listener is null");
        // A distinct wrapper per subscription: the same listener subscribed twice is removed once per close.
        Consumer<String> wrapper = id -> listener.accept(id);
        listeners.add(wrapper);
        return () -> listeners.remove(wrapper);
    }

    /**
     * Records an allocation this agent placed and runs. Durable when it returns.
     *
     * @param allocationId the allocation
     * @param nodeId the node it runs on (this agent's)
     * @param workload what it runs
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public void markLive(String allocationId, String nodeId, AllocationWorkload workload)
            throws StateUnavailableException {
        write(allocationId, new Codec.Allocation(requireNonNull(nodeId, "nodeId is null"),
                requireNonNull(workload, "workload is null"), true));
    }

    /**
     * Records that an allocation ended. Durable when it returns.
     *
     * @param allocationId the allocation
     * @return whether it was known
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public boolean markTerminal(String allocationId) throws StateUnavailableException {
        Optional<Codec.Allocation> known = cache.get(requireNonNull(allocationId, "allocationId is null"));
        if (known.isEmpty()) {
            return false;
        }
        write(allocationId, new Codec.Allocation(known.get().nodeId(), known.get().workload(), false));
        return true;
    }

    /**
     * Forgets an allocation (garbage collection): it is unknown from then on. Durable when it returns.
     *
     * @param allocationId the allocation
     * @return whether it was known
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public boolean forget(String allocationId) throws StateUnavailableException {
        requireNonNull(allocationId, "allocationId is null");
        var response = state.write("forget an allocation", () -> state.client().getKVClient()
                .delete(state.layout().key(KeyLayout.ALLOCATIONS + allocationId)));
        if (response.getDeleted() == 0) {
            return false;
        }
        cache.awaitOwnWrite(response.getHeader().getRevision());
        return true;
    }

    private void write(String allocationId, Codec.Allocation allocation) throws StateUnavailableException {
        if (allocationId.isEmpty() || allocationId.contains("/")) {
            throw new IllegalArgumentException("not an allocation id: " + allocationId);
        }
        long revision = state.write("record an allocation", () -> state.client().getKVClient()
                .put(state.layout().key(KeyLayout.ALLOCATIONS + allocationId), Codec.allocation(allocation)))
                .getHeader().getRevision();
        cache.awaitOwnWrite(revision);
    }

    private void nodeWentDown(String nodeId) {
        try {
            for (String id : cache.keys()) {
                Optional<Codec.Allocation> allocation = cache.get(id);
                if (allocation.isPresent() && allocation.get().live() && allocation.get().nodeId().equals(nodeId)) {
                    tell(id);
                }
            }
        } catch (StateUnavailableException e) {
            // Past the staleness bound every status answers 503 anyway; nothing is trusted that could be dropped.
        }
    }

    private void tell(String allocationId) {
        for (Consumer<String> listener : listeners) {
            listener.accept(allocationId);
        }
    }

    @Override
    public String toString() {
        return "EtcdAllocationRegistry[" + cache + "]";
    }
}
