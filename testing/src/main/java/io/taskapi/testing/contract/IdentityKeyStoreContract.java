package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertListIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link IdentityKeyStore}, for any implementation: extend it and implement {@link #createStore()}
 * (a keyring as the agent starts it). A keyring that can rotate implements {@link #publish} and {@link #retire}
 * too, and the rotation checks run; they are skipped otherwise.
 *
 * <p>It checks that every published key is found by its {@code kid} as published and published once, that an unknown
 * or empty {@code kid} finds nothing (it comes from an untrusted token), that a published key is found and a retired
 * one is not (awaited, so a keyring that learns of a rotation later passes), that returned lists are the caller's,
 * that a {@code null} id is refused, and, when {@link #makeUnavailable} is implemented,
 * {@link StateUnavailableException}.
 *
 * @param <S> the keyring under test
 */
public abstract class IdentityKeyStoreContract<S extends IdentityKeyStore> extends StoreContract<S> {
    /** For subclasses. */
    protected IdentityKeyStoreContract() {}

    /**
     * Publishes a key, as a rotation does. Does nothing unless overridden, and the rotation checks are then skipped.
     *
     * @param store the keyring this test uses
     * @param key a new key (an Ed25519 key for {@link SigningAlgorithm#EDDSA})
     * @return whether it was published
     * @throws Exception when it cannot be done; the test fails
     */
    protected boolean publish(S store, VerificationKey key) throws Exception {
        return false;
    }

    /**
     * Retires a key: verifiers must stop accepting it. Does nothing unless overridden.
     *
     * @param store the keyring this test uses
     * @param keyId the {@code kid} of a key {@link #publish} published
     * @return whether it was retired
     * @throws Exception when it cannot be done; the test fails
     */
    protected boolean retire(S store, String keyId) throws Exception {
        return false;
    }

    @Test
    void everyPublishedKeyIsFoundByItsIdAndPublishedOnce() throws Exception {
        List<VerificationKey> published = store().publishedKeys();
        Set<String> ids = new HashSet<>();

        for (VerificationKey key : published) {
            assertTrue(ids.add(key.keyId()), "published twice: " + key.keyId());
            assertEquals(Optional.of(key), store().findKey(key.keyId()));
        }
    }

    @Test
    void anUnknownOrEmptyKeyIdFindsNothing() throws Exception {
        assertEquals(Optional.empty(), store().findKey(UUID.randomUUID().toString()));
        assertEquals(Optional.empty(), store().findKey(""));
        assertEquals(Optional.empty(), store().findKey("../" + "x".repeat(4096)));
    }

    @Test
    void aPublishedKeyIsFoundAndARetiredOneIsNot() throws Exception {
        VerificationKey key = newKey();
        assumeTrue(publish(store(), key), "the implementer cannot publish keys (publish)");

        await("the published key to be found", () -> store().findKey(key.keyId()), Optional::isPresent);
        assertEquals(Optional.of(key), store().findKey(key.keyId()));
        await("the published key to be published", store()::publishedKeys, keys -> keys.contains(key));

        assumeTrue(retire(store(), key.keyId()), "the implementer cannot retire keys (retire)");
        await("the retired key to be gone", () -> store().findKey(key.keyId()), Optional::isEmpty);
        await("the retired key to be unpublished", store()::publishedKeys, keys -> !keys.contains(key));
    }

    @Test
    void aReturnedListIsTheCallersOwn() throws Exception {
        assertListIsTheCallersOwn(store()::publishedKeys);
    }

    @Test
    void refusesANullKeyId() {
        assertRejectsNull("findKey", () -> store().findKey(null));
    }

    @Test
    void anUnavailableKeyringThrowsStateUnavailableException() throws Exception {
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().findKey("any"));
        assertThrows(StateUnavailableException.class, () -> store().publishedKeys());
    }

    private static VerificationKey newKey() throws GeneralSecurityException {
        return new VerificationKey("contract-" + UUID.randomUUID(), SigningAlgorithm.EDDSA,
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
    }
}
