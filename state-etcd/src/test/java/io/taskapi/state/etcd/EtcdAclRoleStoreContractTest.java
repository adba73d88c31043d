package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskapi.spi.state.AclRole;
import io.taskapi.testing.contract.AclRoleStoreContract;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    /**
     * A write is read back at once, also on a connection whose watch has just started and while heartbeats ask for
     * progress notifications (which etcd 3.4.23 can send ahead of the write's event).
     */
    @Test
    void anAgentReadsItsOwnWriteAtOnce() throws Exception {
        for (int agent = 0; agent < 10; agent++) {
            EtcdState state = cluster.connect();
            EtcdAclRoleStore roles = state.aclRoles();
            state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
            for (int i = 0; i < 5; i++) {
                AclRole stored = roles.put(role("r" + i, "n" + i, List.of()));
                assertEquals(Optional.of(stored), roles.find("r" + i), "agent " + agent + ", write " + i);
            }
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
