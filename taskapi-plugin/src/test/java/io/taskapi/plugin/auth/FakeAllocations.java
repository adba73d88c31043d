package io.taskapi.plugin.auth;

import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Allocation liveness and workloads in maps; ending an allocation notifies subscribers as the real registry does.
 * {@link #live(String)} records the workload {@link Tokens}' claims name, so their tokens match by default.
 */
final class FakeAllocations implements AllocationRegistry {
    static final String GROUP = "cache";   // the group in Tokens.SUBJECT

    private final Map<String, AllocationStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, AllocationWorkload> workloads = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    FakeAllocations live(String allocationId) {
        return live(allocationId, new AllocationWorkload(Tokens.NAMESPACE, Tokens.JOB_ID, GROUP, Set.of(Tokens.TASK)));
    }

    FakeAllocations live(String allocationId, AllocationWorkload workload) {
        workloads.put(allocationId, workload);
        statuses.put(allocationId, AllocationStatus.LIVE);
        return this;
    }

    /** Live, but the registry cannot say what the allocation runs. */
    FakeAllocations liveWithoutWorkload(String allocationId) {
        workloads.remove(allocationId);
        statuses.put(allocationId, AllocationStatus.LIVE);
        return this;
    }

    void end(String allocationId) {
        statuses.put(allocationId, AllocationStatus.TERMINAL);
        listeners.forEach(listener -> listener.accept(allocationId));
    }

    void forget(String allocationId) {
        statuses.remove(allocationId);
        listeners.forEach(listener -> listener.accept(allocationId));
    }

    int listenerCount() {
        return listeners.size();
    }

    @Override
    public AllocationStatus status(String allocationId) {
        return statuses.getOrDefault(allocationId, AllocationStatus.UNKNOWN);
    }

    @Override
    public Optional<AllocationWorkload> workload(String allocationId) {
        return Optional.ofNullable(workloads.get(allocationId));
    }

    @Override
    public Subscription onAllocationEnded(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
