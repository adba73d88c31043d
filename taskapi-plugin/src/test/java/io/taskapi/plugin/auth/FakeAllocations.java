package io.taskapi.plugin.auth;

import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Allocation liveness in a map; ending an allocation notifies subscribers as the real registry does. */
final class FakeAllocations implements AllocationRegistry {
    private final Map<String, AllocationStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    FakeAllocations live(String allocationId) {
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
    public Subscription onAllocationEnded(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
