package io.taskapi.plugin.state;

import io.taskapi.testing.contract.AclTokenStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAclTokenStoreContractTest extends AclTokenStoreContract<EmbeddedAclTokenStore> {
    @TempDir
    Path tmp;

    private EmbeddedStores stores;

    @Override
    protected EmbeddedAclTokenStore createStore() throws Exception {
        stores = EmbeddedStores.open(tmp);
        return stores.aclTokens();
    }

    @Override
    protected void closeStore(EmbeddedAclTokenStore store) {
        stores.close();
    }

    @Override
    protected boolean makeUnavailable(EmbeddedAclTokenStore store) {
        stores.close();
        return true;
    }
}
