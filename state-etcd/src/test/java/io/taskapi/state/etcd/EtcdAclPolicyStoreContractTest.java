package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskapi.spi.state.AclPolicy;
import io.taskapi.testing.contract.AclPolicyStoreContract;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    /**
     * A write is read back at once, also on a connection whose watch has just started and while heartbeats ask for
     * progress notifications (which etcd 3.4.23 can send ahead of the write's event, etcd-io/etcd#15220).
     */
    @Test
    void anAgentReadsItsOwnWriteAtOnce() throws Exception {
        for (int agent = 0; agent < 10; agent++) {
            EtcdState state = cluster.connect();
            EtcdAclPolicyStore policies = state.aclPolicies();
            state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
            for (int i = 0; i < 5; i++) {
                AclPolicy stored = policies.put(policy("p" + i, "namespace \"default\" { policy = \"read\" }"));
                String where = "agent " + agent + ", write " + i;
                assertEquals(Optional.of(stored), policies.find("p" + i), where);
                policies.delete("p" + i);
                assertEquals(Optional.empty(), policies.find("p" + i), where + ", deleted");
            }
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
