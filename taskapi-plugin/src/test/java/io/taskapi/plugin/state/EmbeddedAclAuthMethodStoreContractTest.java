package io.taskapi.plugin.state;

import io.taskapi.testing.contract.AclAuthMethodStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAclAuthMethodStoreContractTest extends AclAuthMethodStoreContract<EmbeddedAclAuthMethodStore> {
    @TempDir
    Path tmp;

    private EmbeddedStores stores;

    @Override
    protected EmbeddedAclAuthMethodStore createStore() throws Exception {
        stores = EmbeddedStores.open(tmp);
        return stores.aclAuthMethods();
    }

    @Override
    protected void closeStore(EmbeddedAclAuthMethodStore store) {
        stores.close();
    }

    @Override
    protected boolean makeUnavailable(EmbeddedAclAuthMethodStore store) {
        stores.close();
        return true;
    }
}
