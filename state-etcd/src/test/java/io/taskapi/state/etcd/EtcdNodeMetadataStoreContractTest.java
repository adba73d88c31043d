package io.taskapi.state.etcd;

import io.taskapi.testing.contract.NodeMetadataStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The NodeMetadataStoreContract on a real 3-member etcd cluster, one fresh key prefix per test. */
class EtcdNodeMetadataStoreContractTest extends NodeMetadataStoreContract<EtcdNodeMetadataStore> {
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected EtcdNodeMetadataStore createStore() throws Exception {
        EtcdState state = cluster.connect();
        EtcdNodeMetadataStore store = state.nodeMetadata();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        return store;
    }

    @Override
    protected void closeStore(EtcdNodeMetadataStore store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdNodeMetadataStore store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(() -> store.read("any"));
        return true;
    }
}
