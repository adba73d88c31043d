package io.taskapi.state.etcd;

import io.taskapi.testing.contract.AclRoleStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AclRoleStoreContract on a real 3-member etcd cluster, one fresh key prefix per test. */
class EtcdAclRoleStoreContractTest extends AclRoleStoreContract<EtcdAclRoleStore> {
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
    protected EtcdAclRoleStore createStore() throws Exception {
        EtcdState state = cluster.connect();
        EtcdAclRoleStore store = state.aclRoles();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        return store;
    }

    @Override
    protected void closeStore(EtcdAclRoleStore store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdAclRoleStore store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(() -> store.list());
        return true;
    }
}
