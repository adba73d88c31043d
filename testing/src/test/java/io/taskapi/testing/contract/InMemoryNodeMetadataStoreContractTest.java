package io.taskapi.testing.contract;

import io.taskapi.testing.InMemoryNodeMetadataStore;

class InMemoryNodeMetadataStoreContractTest extends NodeMetadataStoreContract<InMemoryNodeMetadataStore> {
    @Override
    protected InMemoryNodeMetadataStore createStore() {
        return new InMemoryNodeMetadataStore();
    }

    @Override
    protected boolean makeUnavailable(InMemoryNodeMetadataStore store) {
        store.faults().setUnavailable(true);
        return true;
    }
}
