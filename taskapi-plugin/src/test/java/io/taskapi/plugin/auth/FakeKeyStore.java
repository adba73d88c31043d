package io.taskapi.plugin.auth;

import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.VerificationKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A keyring in a map that counts its lookups, so tests can see when the cache spared one. */
final class FakeKeyStore implements IdentityKeyStore {
    private final Map<String, VerificationKey> keys = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    FakeKeyStore(VerificationKey... keys) {
        for (VerificationKey key : keys) {
            add(key);
        }
    }

    FakeKeyStore add(VerificationKey key) {
        keys.put(key.keyId(), key);
        return this;
    }

    int lookups() {
        return lookups.get();
    }

    @Override
    public Optional<VerificationKey> findKey(String keyId) {
        lookups.incrementAndGet();
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public List<VerificationKey> publishedKeys() {
        return List.copyOf(keys.values());
    }
}
