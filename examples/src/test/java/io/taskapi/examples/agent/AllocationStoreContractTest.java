package io.taskapi.examples.agent;

import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.testing.contract.AllocationRegistryContract;
import java.time.Clock;
import java.util.UUID;

class AllocationStoreContractTest extends AllocationRegistryContract<AllocationStore> {
    @Override
    protected AllocationStore createStore() {
        return new AllocationStore();
    }

    @Override
    protected void markLive(AllocationStore store, String allocationId, AllocationWorkload workload) {
        store.add(new Allocation(allocationId, UUID.randomUUID().toString(),
                workload.jobId() + "." + workload.group() + "[0]",
                workload.namespace(), workload.jobId(), workload.group(), 0, 1, UUID.randomUUID().toString(), "node",
                workload.tasks().stream().sorted().toList(), Clock.systemUTC(), record -> { }, new StateIndex()));
    }

    /** As the scheduler ends one: every task exits, then the store is told. */
    @Override
    protected void markTerminal(AllocationStore store, String allocationId) {
        Allocation allocation = store.find(allocationId).orElseThrow();
        for (String task : allocation.taskNames()) {
            allocation.exited(task, 0, false);
        }
        store.ended(allocationId);
    }
}
