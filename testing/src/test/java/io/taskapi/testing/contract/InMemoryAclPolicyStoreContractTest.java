package io.taskapi.testing.contract;

import io.taskapi.testing.InMemoryAclPolicyStore;

class InMemoryAclPolicyStoreContractTest extends AclPolicyStoreContract<InMemoryAclPolicyStore> {
    @Override
    protected InMemoryAclPolicyStore createStore() {
        return new InMemoryAclPolicyStore();
    }

    @Override
    protected boolean makeUnavailable(InMemoryAclPolicyStore store) {
        store.faults().setUnavailable(true);
        return true;
    }
}
