package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.cache.ChangeGuard;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Nomad ACL tokens: UUID-shaped secrets looked up in the {@link AclTokenStore}. The store's answer is
 * confirmed with a constant-time compare, so a store that matched loosely (by prefix, ignoring case) cannot let a
 * wrong secret through. An unknown or expired token is refused; a store that cannot answer is a 503, never an
 * allow.
 *
 * <p>Tokens found are remembered by a digest of their secret (never the secret), so that requests with a known token
 * are answered from memory; any change in the store drops them all, and a lookup that raced with a change is not
 * remembered ({@link ChangeGuard}). Expiry is checked on every request.
 */
public final class AclTokenVerifier implements IdentityVerifier, AutoCloseable {
    private static final int MAX_REMEMBERED = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(AclTokenVerifier.class);
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final AclTokenStore store;
    private final Clock clock;
    private final Cache<HashCode, AclToken> verified = CacheBuilder.newBuilder().maximumSize(MAX_REMEMBERED).build();
    private final ChangeGuard changes = new ChangeGuard();
    private final Subscription subscription;

    /**
     * @param store the ACL tokens
     * @param clock decides expiry
     */
    @Inject
    public AclTokenVerifier(AclTokenStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.subscription = store.onChange(this::forgetAll);
    }

    @Override
    public boolean recognizes(String credential) {
        return credential.length() == 36 && UUID_SHAPE.matcher(credential).matches();
    }

    @Override
    public Identity verify(String credential) throws CredentialRejectedException, StateUnavailableException {
        requireNonNull(credential, "credential is null");
        HashCode digest = digest(credential);
        long seen = changes.mark();
        Optional<AclToken> found = find(credential);
        if (found.isEmpty() || !sameSecret(found.get().secretId(), credential)) {
            LOG.debug("ACL token refused: not found");
            throw new CredentialRejectedException(RejectionReason.UNKNOWN_TOKEN, "ACL token not found");
        }
        remember(digest, found.get(), seen);
        return unexpired(found.get());
    }

    @Override
    public Optional<Identity> verifyCached(String credential) throws CredentialRejectedException {
        AclToken token = verified.getIfPresent(digest(requireNonNull(credential, "credential is null")));
        return token == null ? Optional.empty() : Optional.of(unexpired(token));
    }

    @Override
    public void close() {
        subscription.close();
    }

    private Identity unexpired(AclToken token) throws CredentialRejectedException {
        if (token.isExpired(clock.instant())) {
            LOG.debug("ACL token refused: {} expired", token.accessorId());
            throw new CredentialRejectedException(RejectionReason.EXPIRED_TOKEN, "ACL token expired");
        }
        return new AclTokenIdentity(token);
    }

    private Optional<AclToken> find(String secret) throws StateUnavailableException {
        Optional<AclToken> found;
        try {
            found = store.findBySecretId(secret);
        } catch (RuntimeException e) {
            // A broken store fails closed. Its message is dropped: it might quote the secret it was given.
            throw new StateUnavailableException("ACL token store failed (" + e.getClass().getSimpleName() + ")");
        }
        if (found == null) {
            throw new StateUnavailableException("ACL token store gave no answer");
        }
        return found;
    }

    /** Remembers a token unless the store changed since the lookup began: it might have been deleted meanwhile. */
    private void remember(HashCode digest, AclToken token, long seen) {
        changes.storeUnlessChanged(seen, () -> verified.put(digest, token));
    }

    private void forgetAll() {
        changes.changed(verified::invalidateAll);
    }

    private static HashCode digest(String secret) {
        return Hashing.sha256().hashString(secret, StandardCharsets.UTF_8);
    }

    private static boolean sameSecret(String stored, String presented) {
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
