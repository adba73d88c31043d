package io.taskapi.state.etcd;

import io.taskapi.testing.contract.VariableStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The VariableStoreContract on a real 3-member etcd cluster, one fresh key prefix per test. */
class EtcdVariableStoreContractTest extends VariableStoreContract<EtcdVariableStore> {
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
    protected EtcdVariableStore createStore() throws Exception {
        EtcdState state = cluster.connect();
        EtcdVariableStore store = state.variables();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        return store;
    }

    @Override
    protected void closeStore(EtcdVariableStore store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdVariableStore store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(() -> store.list("*", ""));
        return true;
    }
}
