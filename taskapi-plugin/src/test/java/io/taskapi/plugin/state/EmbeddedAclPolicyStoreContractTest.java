package io.taskapi.plugin.state;

import io.taskapi.testing.contract.AclPolicyStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAclPolicyStoreContractTest extends AclPolicyStoreContract<EmbeddedAclPolicyStore> {
    @TempDir
    Path tmp;

    private EmbeddedStores stores;

    @Override
    protected EmbeddedAclPolicyStore createStore() throws Exception {
        stores = EmbeddedStores.open(tmp);
        return stores.aclPolicies();
    }

    @Override
    protected void closeStore(EmbeddedAclPolicyStore store) {
        stores.close();
    }

    @Override
    protected boolean makeUnavailable(EmbeddedAclPolicyStore store) {
        stores.close();
        return true;
    }
}
