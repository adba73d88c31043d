package io.taskapi.testing.contract;

import io.taskapi.testing.InMemoryNodeRegistry;

class InMemoryNodeRegistryContractTest extends NodeRegistryContract<InMemoryNodeRegistry> {
    @Override
    protected InMemoryNodeRegistry createStore() {
        InMemoryNodeRegistry registry = new InMemoryNodeRegistry();
        registry.put(InMemoryNodeRegistry.node("worker-2"));
        registry.put(InMemoryNodeRegistry.node("worker-3"));
        return registry;
    }

    @Override
    protected boolean makeUnavailable(InMemoryNodeRegistry registry) {
        registry.faults().setUnavailable(true);
        return true;
    }
}
