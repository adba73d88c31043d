package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskapi.spi.state.StoredVariable;
import io.taskapi.testing.contract.VariableStoreContract;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    /**
     * A write is read back at once, also on a connection whose watch has just started and while heartbeats ask for
     * progress notifications (which etcd 3.4.23 can send ahead of the write's event, etcd-io/etcd#15220).
     */
    @Test
    void anAgentReadsItsOwnWriteAtOnce() throws Exception {
        for (int agent = 0; agent < 10; agent++) {
            EtcdState state = cluster.connect();
            EtcdVariableStore variables = state.variables();
            state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
            for (int i = 0; i < 5; i++) {
                StoredVariable stored = variables.put(variable("default", "v" + i, "c"), OptionalLong.empty());
                String where = "agent " + agent + ", write " + i;
                // The ciphertext is an array (no value equality): the indexes say which write this is.
                assertEquals(Optional.of(stored.modifyIndex()),
                        variables.get("default", "v" + i).map(StoredVariable::modifyIndex), where);
                variables.delete("default", "v" + i, OptionalLong.of(stored.modifyIndex()));
                assertEquals(Optional.empty(), variables.get("default", "v" + i), where + ", deleted");
            }
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
