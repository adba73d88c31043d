package io.taskapi.plugin.auth;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** ACL tokens in a map keyed by secret, or a store that answers secret lookups with a given function. */
final class FakeAclTokens implements AclTokenStore {
    private final Map<String, AclToken> tokens = new ConcurrentHashMap<>();
    private final Function<String, Optional<AclToken>> lookup;

    FakeAclTokens() {
        this.lookup = secret -> Optional.ofNullable(tokens.get(secret));
    }

    private FakeAclTokens(Function<String, Optional<AclToken>> lookup) {
        this.lookup = lookup;
    }

    /** A store whose secret lookups answer with {@code lookup}, however loosely it matches. */
    static FakeAclTokens answering(Function<String, Optional<AclToken>> lookup) {
        return new FakeAclTokens(lookup);
    }

    FakeAclTokens add(AclToken token) {
        tokens.put(token.secretId(), token);
        return this;
    }

    @Override
    public Optional<AclToken> findBySecretId(String secretId) {
        return lookup.apply(secretId);
    }

    @Override
    public Optional<AclToken> findByAccessorId(String accessorId) {
        return tokens.values().stream().filter(token -> token.accessorId().equals(accessorId)).findFirst();
    }

    @Override
    public List<AclToken> list() {
        return List.copyOf(tokens.values());
    }

    @Override
    public void put(AclToken token) {
        add(token);
    }

    @Override
    public boolean delete(String accessorId) {
        return tokens.values().removeIf(token -> token.accessorId().equals(accessorId));
    }

    @Override
    public boolean bootstrap(AclToken managementToken) {
        throw new UnsupportedOperationException("not needed by the verifier tests");
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return () -> { };
    }
}
