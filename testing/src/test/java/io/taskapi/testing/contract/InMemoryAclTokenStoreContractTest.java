package io.taskapi.testing.contract;

import io.taskapi.testing.InMemoryAclTokenStore;

class InMemoryAclTokenStoreContractTest extends AclTokenStoreContract<InMemoryAclTokenStore> {
    @Override
    protected InMemoryAclTokenStore createStore() {
        return new InMemoryAclTokenStore();
    }

    @Override
    protected boolean makeUnavailable(InMemoryAclTokenStore store) {
        store.faults().setUnavailable(true);
        return true;
    }
}
