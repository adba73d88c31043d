package io.taskapi.plugin.state;

import io.taskapi.testing.contract.VariableStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedVariableStoreContractTest extends VariableStoreContract<EmbeddedVariableStore> {
    @TempDir
    Path tmp;

    private EmbeddedStores stores;

    @Override
    protected EmbeddedVariableStore createStore() throws Exception {
        stores = EmbeddedStores.open(tmp);
        return stores.variables();
    }

    @Override
    protected void closeStore(EmbeddedVariableStore store) {
        stores.close();
    }

    @Override
    protected boolean makeUnavailable(EmbeddedVariableStore store) {
        stores.close();
        return true;
    }
}
