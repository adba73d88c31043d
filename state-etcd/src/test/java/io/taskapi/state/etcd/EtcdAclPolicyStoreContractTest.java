package io.taskapi.state.etcd;

import io.taskapi.testing.contract.AclPolicyStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AclPolicyStoreContract on a real 3-member etcd cluster, one fresh key prefix per test. */
class EtcdAclPolicyStoreContractTest extends AclPolicyStoreContract<EtcdAclPolicyStore> {
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
    protected EtcdAclPolicyStore createStore() throws Exception {
        EtcdState state = cluster.connect();
        EtcdAclPolicyStore store = state.aclPolicies();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        return store;
    }

    @Override
    protected void closeStore(EtcdAclPolicyStore store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdAclPolicyStore store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(() -> store.list());
        return true;
    }
}
