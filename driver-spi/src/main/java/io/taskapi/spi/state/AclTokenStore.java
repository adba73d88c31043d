package io.taskapi.spi.state;

import java.util.List;
import java.util.Optional;

/**
 * ACL tokens: looked up by secret on every request, managed through the ACL API.
 *
 * <p>Implementations must not leak how much of a presented secret matched: index by a digest of the secret (or
 * compare with {@link java.security.MessageDigest#isEqual}), never by a string compare that stops at the first
 * difference. They must never log the secret. A write returns only once it is durable.
 */
public interface AclTokenStore {
    /**
     * @param secretId a presented secret, already checked to be UUID-shaped
     * @return the token with that secret, expired or not
     * @throws StateUnavailableException when the store cannot answer (the caller refuses with 503)
     */
    Optional<AclToken> findBySecretId(String secretId) throws StateUnavailableException;

    /**
     * @param accessorId a token's public id
     * @return the token with that accessor id
     * @throws StateUnavailableException when the store cannot answer
     */
    Optional<AclToken> findByAccessorId(String accessorId) throws StateUnavailableException;

    /**
     * @return every token, in no particular order
     * @throws StateUnavailableException when the store cannot answer
     */
    List<AclToken> list() throws StateUnavailableException;

    /**
     * Creates or replaces the token with the same accessor id. Durable when it returns.
     *
     * @param token the token
     * @throws IllegalArgumentException when another token (another accessor id) has this secret; nothing changed
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    void put(AclToken token) throws StateUnavailableException;

    /**
     * Deletes a token. Durable when it returns.
     *
     * @param accessorId the token's public id
     * @return whether there was such a token
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    boolean delete(String accessorId) throws StateUnavailableException;

    /**
     * Stores the first management token, once in the store's life: atomically, only if no bootstrap happened before
     * (even if that token has since been deleted). Durable when it returns.
     *
     * @param managementToken the token to store
     * @return whether it was stored; {@code false} when the store was bootstrapped already
     * @throws IllegalArgumentException when the token is not a management token; nothing changed
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    boolean bootstrap(AclToken managementToken) throws StateUnavailableException;

    /**
     * Tells the listener after every change, including changes made by other agents sharing the store, so that
     * caches can be dropped.
     *
     * @param listener called after a change; must be quick and must not throw
     * @return closing it stops the notifications
     */
    Subscription onChange(Runnable listener);

    /**
     * The indexes Nomad shows as a token's {@code CreateIndex} and {@code ModifyIndex}. A store that keeps none
     * answers {@link WriteIndexes#NONE}, which is the default.
     *
     * @param accessorId a token's public id
     * @return the indexes of the token's first and last write ({@link WriteIndexes#NONE} when there is no such token)
     * @throws StateUnavailableException when the store cannot answer
     */
    default WriteIndexes writeIndexes(String accessorId) throws StateUnavailableException {
        return WriteIndexes.NONE;
    }
}
