package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.testing.contract.AclAuthMethodStoreContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    /** One transaction deletes a method and its rules: etcd's default limit of 128 operations allows 126 rules. */
    @Test
    void aMethodWithMoreRulesThanOneTransactionHoldsIsNotDeletedAtAllUntilSomeRulesAre() throws Exception {
        store().putMethod(method("big", false));
        for (int i = 0; i < 127; i++) {
            store().putRule(rule(String.format("r%03d", i), "big"));
        }

        StateUnavailableException refused = assertThrows(StateUnavailableException.class,
                () -> store().deleteMethod("big"));

        assertTrue(refused.getMessage().contains("too many operations"), refused.getMessage());
        assertTrue(store().findMethod("big").isPresent());
        assertEquals(127, store().listRules().size());
        assertTrue(store().deleteRule("r000"));
        assertTrue(store().deleteMethod("big"));
        assertEquals(0, store().listRules().size());
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
