package io.taskapi.testing.contract;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.testing.InMemoryAllocationRegistry;

class InMemoryAllocationRegistryContractTest extends AllocationRegistryContract<InMemoryAllocationRegistry> {
    @Override
    protected InMemoryAllocationRegistry createStore() {
        return new InMemoryAllocationRegistry();
    }

    @Override
    protected void markLive(InMemoryAllocationRegistry registry, String allocationId, AllocationWorkload workload) {
        for (String task : workload.tasks()) {
            registry.markLive(new TaskRef(allocationId, workload.namespace(), workload.jobId(), workload.group(),
                    task));
        }
    }

    @Override
    protected void markTerminal(InMemoryAllocationRegistry registry, String allocationId) {
        registry.markTerminal(allocationId);
    }

    @Override
    protected boolean forget(InMemoryAllocationRegistry registry, String allocationId) {
        registry.forget(allocationId);
        return true;
    }

    @Override
    protected boolean makeUnavailable(InMemoryAllocationRegistry registry) {
        registry.faults().setUnavailable(true);
        return true;
    }
}
