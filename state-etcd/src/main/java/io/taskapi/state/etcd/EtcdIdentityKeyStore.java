package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.util.List;
import java.util.Optional;

/**
 * The public keys that verify workload identities, shared by every agent ({@code keyring/public/<key id>}): a token
 * signed by any agent verifies on all of them. An agent publishes its signing key's public half before signing with
 * it and retires it once no token it signed can still be valid. The private keys are not here: sharing them (wrapped
 * by a root key each agent loads from a file) is the keyring's part, not built yet (docs/cluster.md).
 */
public final class EtcdIdentityKeyStore implements IdentityKeyStore {
    private final EtcdState state;
    private final WatchedPrefix<VerificationKey> cache;

    EtcdIdentityKeyStore(EtcdState state) {
        this.state = state;
        this.cache = state.cache("identity keys", KeyLayout.PUBLIC_KEYS,
                (key, value, create, modify) -> Codec.verificationKey(value), null);
    }

    @Override
    public Optional<VerificationKey> findKey(String keyId) throws StateUnavailableException {
        requireNonNull(keyId, "keyId is null");
        return cache.get(keyId);
    }

    @Override
    public List<VerificationKey> publishedKeys() throws StateUnavailableException {
        return List.copyOf(cache.values());
    }

    /**
     * Publishes a key to every agent. Durable when it returns.
     *
     * @param key the key
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public void publish(VerificationKey key) throws StateUnavailableException {
        requireNonNull(key, "key is null");
        if (key.keyId().contains("/")) {
            throw new IllegalArgumentException("a key id with a / cannot be published");
        }
        long revision = state.write("publish an identity key", () -> state.client().getKVClient()
                .put(state.layout().key(KeyLayout.PUBLIC_KEYS + key.keyId()), Codec.verificationKey(key)))
                .getHeader().getRevision();
        cache.awaitOwnWrite(revision);
    }

    /**
     * Retires a key everywhere: tokens it signed stop verifying.
     *
     * @param keyId the key's id
     * @return whether it was published
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public boolean retire(String keyId) throws StateUnavailableException {
        requireNonNull(keyId, "keyId is null");
        var response = state.write("retire an identity key", () -> state.client().getKVClient()
                .delete(state.layout().key(KeyLayout.PUBLIC_KEYS + keyId)));
        if (response.getDeleted() == 0) {
            return false;
        }
        cache.awaitOwnWrite(response.getHeader().getRevision());
        return true;
    }

    @Override
    public String toString() {
        return "EtcdIdentityKeyStore[" + cache + "]";
    }
}
