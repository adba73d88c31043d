package io.taskapi.testing.contract;

import io.taskapi.testing.InMemoryAclAuthMethodStore;

class InMemoryAclAuthMethodStoreContractTest extends AclAuthMethodStoreContract<InMemoryAclAuthMethodStore> {
    @Override
    protected InMemoryAclAuthMethodStore createStore() {
        return new InMemoryAclAuthMethodStore();
    }

    @Override
    protected boolean makeUnavailable(InMemoryAclAuthMethodStore store) {
        store.faults().setUnavailable(true);
        return true;
    }
}
