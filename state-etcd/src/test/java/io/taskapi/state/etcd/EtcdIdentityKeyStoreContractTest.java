package io.taskapi.state.etcd;

import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import io.taskapi.testing.contract.IdentityKeyStoreContract;
import java.io.IOException;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The IdentityKeyStoreContract on a real 3-member etcd cluster, with an RSA key published by another agent. */
class EtcdIdentityKeyStoreContractTest extends IdentityKeyStoreContract<EtcdIdentityKeyStore> {
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
    protected EtcdIdentityKeyStore createStore() throws Exception {
        String prefix = TestCluster.freshPrefix();
        EtcdState other = cluster.connectDirect(prefix);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        VerificationKey published = new VerificationKey("other-agent", SigningAlgorithm.RS256,
                rsa.generateKeyPair().getPublic());
        other.identityKeys();
        other.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        other.identityKeys().publish(published);
        EtcdState state = cluster.connect(prefix);
        EtcdIdentityKeyStore store = state.identityKeys();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        TwoAgentsTest.awaitPresent(() -> store.findKey("other-agent").filter(published::equals), true);
        return store;
    }

    @Override
    protected boolean publish(EtcdIdentityKeyStore store, VerificationKey key) throws Exception {
        store.publish(key);
        return true;
    }

    @Override
    protected boolean retire(EtcdIdentityKeyStore store, String keyId) throws Exception {
        return store.retire(keyId);
    }

    @Override
    protected void closeStore(EtcdIdentityKeyStore store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdIdentityKeyStore store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(store::publishedKeys);
        return true;
    }
}
