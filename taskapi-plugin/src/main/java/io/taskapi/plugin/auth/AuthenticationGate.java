package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.AuthConfig;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
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
        try {
            Identity identity = verifier.verify(credential);
            LOG.trace("authenticated {}", identity.auditName());
            return identity;
        } catch (CredentialRejectedException e) {
            throw refused(e);
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
