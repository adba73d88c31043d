package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workload identity keyring in memory, for tests. Thread-safe: reads see an immutable snapshot, so a key rotation
 * racing with verification is safe.
 *
 * <p>It holds what it was given: publishing a key on a {@link TestingIdentityIssuer} later does not reach a store fed
 * earlier; publish it here too. {@code faults().setUnavailable(true)} makes every call throw
 * {@link StateUnavailableException}, for 503 tests.
 *
 * <pre>{@code
 * InMemoryIdentityKeyStore keys = InMemoryIdentityKeyStore.from(issuer);
 * keys.publish(issuer.addPublishedKey(SigningAlgorithm.RS256).verificationKey());   // rotate
 * keys.unpublish(issuer.ed25519Key().keyId());                                       // retire
 * }</pre>
 */
public final class InMemoryIdentityKeyStore implements IdentityKeyStore {
    // kid -> key in publication order; replaced whole under the lock, read without it
    private volatile Map<String, VerificationKey> keys = Map.of();
    private final Object lock = new Object();
    private final StoreFaults faults = new StoreFaults("the identity keyring");

    /** An empty keyring. */
    public InMemoryIdentityKeyStore() {}

    /**
     * @param keys the keys to publish
     * @return a keyring holding them
     */
    public static InMemoryIdentityKeyStore of(Collection<VerificationKey> keys) {
        InMemoryIdentityKeyStore store = new InMemoryIdentityKeyStore();
        store.publishAll(keys);
        return store;
    }

    /**
     * @param issuer an issuer
     * @return a keyring holding the keys the issuer publishes now
     */
    public static InMemoryIdentityKeyStore from(TestingIdentityIssuer issuer) {
        return of(requireNonNull(issuer, "issuer is null").verificationKeys());
    }

    @Override
    public Optional<VerificationKey> findKey(String keyId) throws StateUnavailableException {
        requireNonNull(keyId, "keyId is null");
        faults.lookup();
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public List<VerificationKey> publishedKeys() throws StateUnavailableException {
        faults.lookup();
        return List.copyOf(keys.values());
    }

    /**
     * Publishes a key, replacing one with the same {@code kid}.
     *
     * @param key the key
     */
    public void publish(VerificationKey key) {
        publishAll(List.of(requireNonNull(key, "key is null")));
    }

    /** @param keys the keys to publish, each replacing one with the same {@code kid} */
    public void publishAll(Collection<VerificationKey> keys) {
        requireNonNull(keys, "keys is null");
        synchronized (lock) {
            Map<String, VerificationKey> copy = new LinkedHashMap<>(this.keys);
            keys.forEach(key -> copy.put(key.keyId(), key));
            this.keys = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * @param keyId the {@code kid} to retire
     * @return whether it was published
     */
    public boolean unpublish(String keyId) {
        requireNonNull(keyId, "keyId is null");
        synchronized (lock) {
            if (!keys.containsKey(keyId)) {
                return false;
            }
            Map<String, VerificationKey> copy = new LinkedHashMap<>(keys);
            copy.remove(keyId);
            keys = Collections.unmodifiableMap(copy);
            return true;
        }
    }

    /** @return the published keys as a JWKS, whatever the switch says */
    public String jwksJson() {
        return Jwks.jwksJson(keys.values());
    }

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "InMemoryIdentityKeyStore[kids=" + keys.keySet() + ", unavailable=" + faults.isUnavailable() + "]";
    }
}
