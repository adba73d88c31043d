package io.taskapi.testing.contract;

import io.taskapi.testing.InMemoryAclRoleStore;

class InMemoryAclRoleStoreContractTest extends AclRoleStoreContract<InMemoryAclRoleStore> {
    @Override
    protected InMemoryAclRoleStore createStore() {
        return new InMemoryAclRoleStore();
    }

    @Override
    protected boolean makeUnavailable(InMemoryAclRoleStore store) {
        store.faults().setUnavailable(true);
        return true;
    }
}
