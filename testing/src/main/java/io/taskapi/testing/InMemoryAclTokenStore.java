package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * ACL tokens in memory, for tests. Thread-safe.
 *
 * <p>Tokens are indexed by the SHA-256 of their secret, so how long a lookup takes does not depend on how much of a
 * presented secret matches a stored one, and a hit is confirmed with {@link MessageDigest#isEqual} as a real store
 * must. {@link #setUnavailable(boolean)} makes every lookup throw {@link StateUnavailableException}, for 503 tests.
 *
 * <pre>{@code
 * InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
 * AclToken reader = tokens.createClientToken("reader", List.of("node-read"));
 * client.get("/v1/client/metadata").token(reader.secretId()).send();
 * }</pre>
 */
public final class InMemoryAclTokenStore implements AclTokenStore {
    private final Clock clock;
    // hex(SHA-256(secret)) -> token
    private final ConcurrentMap<String, AclToken> tokens = new ConcurrentHashMap<>();
    private final Availability availability = new Availability("the ACL token store");

    /** A store whose tokens are created at the system clock's now. */
    public InMemoryAclTokenStore() {
        this(Clock.systemUTC());
    }

    /** @param clock gives the {@code createTime} of tokens made here */
    public InMemoryAclTokenStore(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Optional<AclToken> findBySecretId(String secretId) throws StateUnavailableException {
        requireNonNull(secretId, "secretId is null");
        availability.check();
        AclToken token = tokens.get(digest(secretId));
        // The digest match is all but certain; the constant-time compare is what a real store is expected to do.
        if (token == null || !MessageDigest.isEqual(token.secretId().getBytes(UTF_8), secretId.getBytes(UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /**
     * @param name a human name
     * @param policies the policy names it holds
     * @return a new client token with random UUID accessor and secret, stored
     */
    public AclToken createClientToken(String name, List<String> policies) {
        return put(newToken(name, AclTokenType.CLIENT, policies, Optional.empty()));
    }

    /**
     * @param name a human name
     * @return a new management token, stored
     */
    public AclToken createManagementToken(String name) {
        return put(newToken(name, AclTokenType.MANAGEMENT, List.of(), Optional.empty()));
    }

    /**
     * @param name a human name
     * @param policies the policy names it holds
     * @param expiry when it stops working; may be in the past
     * @return a new client token that expires, stored
     */
    public AclToken createExpiringToken(String name, List<String> policies, Instant expiry) {
        requireNonNull(expiry, "expiry is null");
        return put(newToken(name, AclTokenType.CLIENT, policies, Optional.of(expiry)));
    }

    /**
     * Stores a token, replacing any with the same secret.
     *
     * @param token the token
     * @return the token
     */
    public AclToken put(AclToken token) {
        requireNonNull(token, "token is null");
        tokens.put(digest(token.secretId()), token);
        return token;
    }

    /**
     * @param token a stored token (matched by its secret)
     * @return whether it was stored
     */
    public boolean delete(AclToken token) {
        requireNonNull(token, "token is null");
        return tokens.remove(digest(token.secretId())) != null;
    }

    /** @return every stored token, in no particular order */
    public List<AclToken> tokens() {
        return List.copyOf(tokens.values());
    }

    /** Removes every token. */
    public void clear() {
        tokens.clear();
    }

    /** @param unavailable whether every lookup fails with {@link StateUnavailableException} from now on */
    public void setUnavailable(boolean unavailable) {
        availability.set(unavailable);
    }

    /** @return whether lookups fail */
    public boolean isUnavailable() {
        return availability.unavailable();
    }

    /** @return how many lookups were made, failed ones included: a cache test checks it does not grow */
    public long lookupCount() {
        return availability.calls();
    }

    private AclToken newToken(String name, AclTokenType type, List<String> policies, Optional<Instant> expiry) {
        return new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), name, type, policies,
                clock.instant(), expiry);
    }

    private static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @return the number of tokens, never a secret */
    @Override
    public String toString() {
        return "InMemoryAclTokenStore[tokens=" + tokens.size() + ", unavailable=" + isUnavailable() + "]";
    }
}
