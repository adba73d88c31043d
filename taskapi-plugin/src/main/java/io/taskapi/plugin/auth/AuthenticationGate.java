package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.AuthConfig;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a credential becomes an {@link Identity}. Over-long credentials are refused before any verifier
 * parses them; then the verifiers are asked in the order the wiring lists them (ACL tokens, then workload
 * identities), and the first that recognizes the credential's shape decides.
 *
 * <p>There is no "ACLs disabled" path that lets any string through: only a known ACL token or a verified workload
 * identity passes.
 */
public final class AuthenticationGate {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationGate.class);

    private final List<IdentityVerifier> verifiers;
    private final int maxTokenLength;
    // The credentials being verified now (in memory only, removed when their verification ends).
    private final Map<String, CompletableFuture<Identity>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param verifiers the verifiers, in the order they are asked; must not be empty
     * @param config the longest credential accepted
     */
    @Inject
    public AuthenticationGate(List<IdentityVerifier> verifiers, AuthConfig config) {
        requireNonNull(verifiers, "verifiers is null");
        if (verifiers.isEmpty()) {
            throw new IllegalArgumentException("no identity verifiers are bound: nothing could ever authenticate");
        }
        this.verifiers = List.copyOf(verifiers);
        this.maxTokenLength = requireNonNull(config, "config is null").maxTokenLength();
    }

    /**
     * @param credential the credential from {@link TokenExtractor}
     * @return who the caller is
     * @throws CredentialRejectedException when the credential is too long, of no known shape, or refused (403)
     * @throws StateUnavailableException when a backend needed to decide could not answer (503)
     */
    public Identity authenticate(String credential) throws CredentialRejectedException, StateUnavailableException {
        IdentityVerifier verifier = decider(credential);
        // One verification per credential at a time: callers that present it while it is being verified wait for
        // that verification's outcome instead of doing the work again (a burst of first requests from one task, or
        // copies of one forged token, cost one signature check).
        CompletableFuture<Identity> mine = new CompletableFuture<>();
        CompletableFuture<Identity> running = inFlight.putIfAbsent(credential, mine);
        if (running != null) {
            return outcome(running);
        }
        try {
            Identity identity = verifier.verify(credential);
            LOG.trace("authenticated {}", identity.auditName());
            mine.complete(identity);
            return identity;
        } catch (CredentialRejectedException e) {
            mine.completeExceptionally(e);
            throw refused(e);
        } catch (StateUnavailableException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(credential, mine);
        }
    }

    /**
     * @param credential a credential
     * @return whether it is being verified right now: a caller presenting it will share that verification
     */
    public boolean isBeingVerified(String credential) {
        return inFlight.containsKey(credential);
    }

    private static Identity outcome(CompletableFuture<Identity> verification)
            throws CredentialRejectedException, StateUnavailableException {
        try {
            return verification.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while waiting for a verification", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CredentialRejectedException rejected) {
                throw rejected;
            }
            if (cause instanceof StateUnavailableException unavailable) {
                throw unavailable;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) cause;
        }
    }

    /**
     * Authenticates from memory only: what {@link #authenticate} would answer, when the deciding verifier has the
     * credential already verified.
     *
     * @param credential the credential from {@link TokenExtractor}
     * @return who the caller is; empty when the credential must go through {@link #authenticate}
     * @throws CredentialRejectedException when the credential is too long, of no known shape, or refused (403)
     * @throws StateUnavailableException when a backend needed to decide could not answer (503)
     */
    public Optional<Identity> authenticateCached(String credential)
            throws CredentialRejectedException, StateUnavailableException {
        IdentityVerifier verifier = decider(credential);
        try {
            return verifier.verifyCached(credential);
        } catch (CredentialRejectedException e) {
            throw refused(e);
        }
    }

    /** The first verifier that recognizes the credential's shape; an over-long or unknown shape is refused. */
    private IdentityVerifier decider(String credential) throws CredentialRejectedException {
        requireNonNull(credential, "credential is null");
        if (credential.length() > maxTokenLength) {
            throw refused(new CredentialRejectedException(RejectionReason.UNRECOGNIZED, "credential too long"));
        }
        for (IdentityVerifier verifier : verifiers) {
            if (verifier.recognizes(credential)) {
                return verifier;
            }
        }
        throw refused(new CredentialRejectedException(RejectionReason.UNRECOGNIZED,
                "credential is neither an ACL token nor a workload identity"));
    }

    /** @return the verifiers in the order they are asked */
    public List<IdentityVerifier> verifiers() {
        return verifiers;
    }

    private static CredentialRejectedException refused(CredentialRejectedException e) {
        LOG.debug("credential refused: {}: {}", e.reason(), e.getMessage());
        return e;
    }
}
