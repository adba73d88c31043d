package io.taskapi.state.etcd;

import io.taskapi.testing.contract.AclAuthMethodStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AclAuthMethodStoreContract on a real 3-member etcd cluster, one fresh key prefix per test. */
class EtcdAclAuthMethodStoreContractTest extends AclAuthMethodStoreContract<EtcdAclAuthMethodStore> {
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
    protected EtcdAclAuthMethodStore createStore() throws Exception {
        EtcdState state = cluster.connect();
        EtcdAclAuthMethodStore store = state.aclAuthMethods();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        return store;
    }

    @Override
    protected void closeStore(EtcdAclAuthMethodStore store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdAclAuthMethodStore store) throws Exception {
        cluster.cutLinks();
        // Two caches, each with its own bound.
        TestCluster.awaitUnavailable(() -> store.listMethods());
        TestCluster.awaitUnavailable(() -> store.listRules());
        return true;
    }
}
