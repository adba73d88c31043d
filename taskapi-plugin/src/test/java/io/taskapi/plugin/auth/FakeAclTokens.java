package io.taskapi.plugin.auth;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** ACL tokens in a map keyed by secret. */
final class FakeAclTokens implements AclTokenStore {
    private final Map<String, AclToken> tokens = new ConcurrentHashMap<>();

    FakeAclTokens add(AclToken token) {
        tokens.put(token.secretId(), token);
        return this;
    }

    @Override
    public Optional<AclToken> findBySecretId(String secretId) {
        return Optional.ofNullable(tokens.get(secretId));
    }
}
