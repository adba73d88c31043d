package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * ACL tokens in memory, for tests. Thread-safe.
 *
 * <p>Tokens are keyed by accessor id and indexed by the SHA-256 of their secret, so how long a lookup takes does not
 * depend on how much of a presented secret matches a stored one, and a hit is confirmed with
 * {@link MessageDigest#isEqual} as a real store must. A secret belongs to one token: putting another accessor id with
 * a secret in use throws {@link IllegalArgumentException}.
 *
 * <p>{@code faults().setUnavailable(true)} makes every SPI call (lookups and writes) throw
 * {@link StateUnavailableException}, for 503 tests; the {@code create…} helpers, {@link #tokens()} and
 * {@link #clear()} are the test's own side door and keep working. {@code onChange} subscribers hear of every change,
 * the helpers' included (they stand for changes by another agent), on the calling thread, after the change.
 *
 * <pre>{@code
 * InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
 * AclToken reader = tokens.createClientToken("reader", List.of("node-read"));
 * client.get("/v1/client/metadata").token(reader.secretId()).send();
 * }</pre>
 */
public final class InMemoryAclTokenStore implements AclTokenStore {
    private final Clock clock;
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, AclToken> byAccessor = new HashMap<>();
    // hex(SHA-256(secret)) -> accessor id; guarded by lock
    private final Map<String, String> bySecretDigest = new HashMap<>();
    private boolean bootstrapped;
    private final ChangeListeners listeners = new ChangeListeners();
    private final StoreFaults faults = new StoreFaults("the ACL token store");

    /** A store whose tokens are created at the system clock's now. */
    public InMemoryAclTokenStore() {
        this(Clock.systemUTC());
    }

    /** @param clock gives the {@code createTime} of tokens made here */
    public InMemoryAclTokenStore(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    // ---- the SPI

    @Override
    public Optional<AclToken> findBySecretId(String secretId) throws StateUnavailableException {
        requireNonNull(secretId, "secretId is null");
        faults.lookup();
        AclToken token;
        synchronized (lock) {
            String accessorId = bySecretDigest.get(digest(secretId));
            token = accessorId == null ? null : byAccessor.get(accessorId);
        }
        // The digest match is all but certain; the constant-time compare is what a real store is expected to do.
        if (token == null || !MessageDigest.isEqual(token.secretId().getBytes(UTF_8), secretId.getBytes(UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    @Override
    public Optional<AclToken> findByAccessorId(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        faults.lookup();
        synchronized (lock) {
            return Optional.ofNullable(byAccessor.get(accessorId));
        }
    }

    @Override
    public List<AclToken> list() throws StateUnavailableException {
        faults.lookup();
        return tokens();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when another token (another accessor id) already has this secret
     */
    @Override
    public void put(AclToken token) throws StateUnavailableException {
        requireNonNull(token, "token is null");
        faults.write();
        store(token);
    }

    @Override
    public boolean delete(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        faults.write();
        boolean removed;
        synchronized (lock) {
            removed = remove(accessorId);
        }
        if (removed) {
            listeners.changed();
        }
        return removed;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the token is not a management token
     */
    @Override
    public boolean bootstrap(AclToken managementToken) throws StateUnavailableException {
        requireNonNull(managementToken, "managementToken is null");
        if (managementToken.type() != AclTokenType.MANAGEMENT) {
            throw new IllegalArgumentException("the bootstrap token must be a management token");
        }
        faults.write();
        synchronized (lock) {
            if (bootstrapped) {
                return false;
            }
            insert(managementToken);
            bootstrapped = true;
        }
        listeners.changed();
        return true;
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return listeners.subscribe(listener);
    }

    // ---- the test's side door

    /**
     * @param name a human name
     * @param policies the policy names it holds
     * @return a new client token with random UUID accessor and secret, stored
     */
    public AclToken createClientToken(String name, List<String> policies) {
        return store(newToken(name, AclTokenType.CLIENT, policies, Optional.empty()));
    }

    /**
     * @param name a human name
     * @return a new management token, stored
     */
    public AclToken createManagementToken(String name) {
        return store(newToken(name, AclTokenType.MANAGEMENT, List.of(), Optional.empty()));
    }

    /**
     * @param name a human name
     * @param policies the policy names it holds
     * @param expiry when it stops working; may be in the past
     * @return a new client token that expires, stored
     */
    public AclToken createExpiringToken(String name, List<String> policies, Instant expiry) {
        requireNonNull(expiry, "expiry is null");
        return store(newToken(name, AclTokenType.CLIENT, policies, Optional.of(expiry)));
    }

    /** @return every stored token, in no particular order; works while unavailable and is not counted */
    public List<AclToken> tokens() {
        synchronized (lock) {
            return List.copyOf(byAccessor.values());
        }
    }

    /** @return whether {@link #bootstrap} has succeeded */
    public boolean isBootstrapped() {
        synchronized (lock) {
            return bootstrapped;
        }
    }

    /** Forgets that bootstrap happened, keeping the tokens, as Nomad's bootstrap reset does. */
    public void resetBootstrap() {
        synchronized (lock) {
            bootstrapped = false;
        }
    }

    /** Removes every token and forgets the bootstrap, as a fresh store. */
    public void clear() {
        synchronized (lock) {
            byAccessor.clear();
            bySecretDigest.clear();
            bootstrapped = false;
        }
        listeners.changed();
    }

    /** @return how many {@code onChange} subscriptions are open */
    public int subscriberCount() {
        return listeners.count();
    }

    /** @return the number of tokens, never a secret */
    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "InMemoryAclTokenStore[tokens=" + tokens().size() + ", unavailable=" + faults.isUnavailable() + "]";
    }

    // ---- internals

    private AclToken store(AclToken token) {
        synchronized (lock) {
            insert(token);
        }
        listeners.changed();
        return token;
    }

    /** Creates or replaces by accessor id; refuses a secret another accessor id holds. Holds the lock. */
    private void insert(AclToken token) {
        String secretDigest = digest(token.secretId());
        String holder = bySecretDigest.get(secretDigest);
        if (holder != null && !holder.equals(token.accessorId())) {
            throw new IllegalArgumentException("another ACL token already has this secret (accessor "
                    + token.accessorId() + " not stored)");
        }
        remove(token.accessorId());
        byAccessor.put(token.accessorId(), token);
        bySecretDigest.put(secretDigest, token.accessorId());
    }

    /** Holds the lock. */
    private boolean remove(String accessorId) {
        AclToken old = byAccessor.remove(accessorId);
        if (old == null) {
            return false;
        }
        bySecretDigest.remove(digest(old.secretId()));
        return true;
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
}
