package io.taskapi.plugin.state;

import io.taskapi.testing.contract.AclRoleStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAclRoleStoreContractTest extends AclRoleStoreContract<EmbeddedAclRoleStore> {
    @TempDir
    Path tmp;

    private EmbeddedStores stores;

    @Override
    protected EmbeddedAclRoleStore createStore() throws Exception {
        stores = EmbeddedStores.open(tmp);
        return stores.aclRoles();
    }

    @Override
    protected void closeStore(EmbeddedAclRoleStore store) {
        stores.close();
    }

    @Override
    protected boolean makeUnavailable(EmbeddedAclRoleStore store) {
        stores.close();
        return true;
    }
}
