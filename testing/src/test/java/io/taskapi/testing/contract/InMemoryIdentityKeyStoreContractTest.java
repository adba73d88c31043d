package io.taskapi.testing.contract;

import io.taskapi.spi.state.VerificationKey;
import io.taskapi.testing.InMemoryIdentityKeyStore;
import io.taskapi.testing.TestingIdentityIssuer;

class InMemoryIdentityKeyStoreContractTest extends IdentityKeyStoreContract<InMemoryIdentityKeyStore> {
    private static final TestingIdentityIssuer ISSUER = TestingIdentityIssuer.create();

    @Override
    protected InMemoryIdentityKeyStore createStore() {
        return InMemoryIdentityKeyStore.from(ISSUER);
    }

    @Override
    protected boolean publish(InMemoryIdentityKeyStore store, VerificationKey key) {
        store.publish(key);
        return true;
    }

    @Override
    protected boolean retire(InMemoryIdentityKeyStore store, String keyId) {
        return store.unpublish(keyId);
    }

    @Override
    protected boolean makeUnavailable(InMemoryIdentityKeyStore store) {
        store.faults().setUnavailable(true);
        return true;
    }
}
