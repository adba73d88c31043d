package io.taskapi.plugin.state;

import io.taskapi.testing.contract.NodeMetadataStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedNodeMetadataStoreContractTest extends NodeMetadataStoreContract<EmbeddedNodeMetadataStore> {
    @TempDir
    Path tmp;

    private EmbeddedStores stores;

    @Override
    protected EmbeddedNodeMetadataStore createStore() throws Exception {
        stores = EmbeddedStores.open(tmp);
        return stores.nodeMetadata();
    }

    @Override
    protected void closeStore(EmbeddedNodeMetadataStore store) {
        stores.close();
    }

    @Override
    protected boolean makeUnavailable(EmbeddedNodeMetadataStore store) {
        stores.close();
        return true;
    }
}
