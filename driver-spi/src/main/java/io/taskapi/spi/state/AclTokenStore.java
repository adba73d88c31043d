package io.taskapi.spi.state;

import java.util.Optional;

/**
 * ACL tokens, looked up by secret.
 *
 * <p>Implementations must not leak how much of a presented secret matched: index by a digest of the secret (or
 * compare with {@link java.security.MessageDigest#isEqual}), never by a string compare that stops at the first
 * difference. They must never log the secret.
 */
public interface AclTokenStore {
    /**
     * @param secretId a presented secret, already checked to be UUID-shaped
     * @return the token with that secret, expired or not
     * @throws StateUnavailableException when the store cannot answer (the caller refuses with 503)
     */
    Optional<AclToken> findBySecretId(String secretId) throws StateUnavailableException;
}
