package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The allocations the plugin checks identities against on a clustered agent: this agent's own from memory (they
 * verify the moment they start, before etcd has heard of them, and whatever etcd's state), every other agent's from
 * the cluster (so an identity signed for a task on another agent verifies here while that agent holds its lease).
 */
final class ClusterAllocationRegistry implements AllocationRegistry {
    private final AllocationRegistry local;
    private final AllocationRegistry cluster;

    ClusterAllocationRegistry(AllocationRegistry local, AllocationRegistry cluster) {
        this.local = requireNonNull(local, "local is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
    }

    @Override
    public AllocationStatus status(String allocationId) throws StateUnavailableException {
        AllocationStatus here = local.status(allocationId);
        return here != AllocationStatus.UNKNOWN ? here : cluster.status(allocationId);
    }

    @Override
    public Optional<AllocationWorkload> workload(String allocationId) throws StateUnavailableException {
        Optional<AllocationWorkload> here = local.workload(allocationId);
        return here.isPresent() ? here : cluster.workload(allocationId);
    }

    @Override
    public Subscription onAllocationEnded(Consumer<String> listener) {
        Subscription here = local.onAllocationEnded(listener);
        Subscription there = cluster.onAllocationEnded(listener);
        return () -> {
            here.close();
            there.close();
        };
    }

    @Override
    public String toString() {
        return "ClusterAllocationRegistry[" + local + ", " + cluster + "]";
    }
}
