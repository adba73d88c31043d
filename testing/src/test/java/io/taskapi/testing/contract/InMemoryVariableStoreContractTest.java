package io.taskapi.testing.contract;

import io.taskapi.testing.InMemoryVariableStore;

class InMemoryVariableStoreContractTest extends VariableStoreContract<InMemoryVariableStore> {
    @Override
    protected InMemoryVariableStore createStore() {
        return new InMemoryVariableStore();
    }

    @Override
    protected boolean makeUnavailable(InMemoryVariableStore store) {
        store.faults().setUnavailable(true);
        return true;
    }
}
