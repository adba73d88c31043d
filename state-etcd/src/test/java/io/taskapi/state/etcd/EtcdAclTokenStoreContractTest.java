package io.taskapi.state.etcd;

import io.taskapi.testing.contract.AclTokenStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AclTokenStoreContract on a real 3-member etcd cluster, one fresh key prefix per test. */
class EtcdAclTokenStoreContractTest extends AclTokenStoreContract<EtcdAclTokenStore> {
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
    protected EtcdAclTokenStore createStore() throws Exception {
        EtcdState state = cluster.connect();
        EtcdAclTokenStore store = state.aclTokens();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        return store;
    }

    @Override
    protected void closeStore(EtcdAclTokenStore store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdAclTokenStore store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(() -> store.list());
        return true;
    }
}
