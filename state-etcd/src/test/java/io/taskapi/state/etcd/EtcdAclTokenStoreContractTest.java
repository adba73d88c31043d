package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.testing.contract.AclTokenStoreContract;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    /**
     * A write is read back at once, also on a connection whose watch has just started and while heartbeats ask for
     * progress notifications (which etcd 3.4.23 can send ahead of the write's event, etcd-io/etcd#15220).
     */
    @Test
    void anAgentReadsItsOwnWriteAtOnce() throws Exception {
        for (int agent = 0; agent < 10; agent++) {
            EtcdState state = cluster.connect();
            EtcdAclTokenStore tokens = state.aclTokens();
            state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
            for (int i = 0; i < 5; i++) {
                AclToken token = token("t" + i, AclTokenType.CLIENT, List.of("p"), Optional.empty());
                tokens.put(token);
                String where = "agent " + agent + ", write " + i;
                assertEquals(Optional.of(token), tokens.findBySecretId(token.secretId()), where);
                tokens.delete(token.accessorId());
                assertEquals(Optional.empty(), tokens.findByAccessorId(token.accessorId()), where + ", deleted");
            }
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
