package io.taskapi.plugin.auth;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import java.util.Optional;

import io.taskapi.spi.state.StateUnavailableException;

/**
 * Turns a presented credential into an {@link Identity}. The gate asks each verifier, in the order the wiring lists
 * them, whether a credential has its shape and lets the first that {@linkplain #recognizes recognizes} it decide.
 *
 * <p>Implementations never put the credential, or any part of it, in a log line, an exception or a message.
 */
public interface IdentityVerifier {
    /**
     * A cheap check of shape only (a UUID, a compact JWS), with no lookups.
     *
     * @param credential the presented credential, already trimmed and within the length limit
     * @return whether this verifier is the one to decide on it
     */
    boolean recognizes(String credential);

    /**
     * @param credential a credential this verifier recognizes
     * @return the verified identity
     * @throws CredentialRejectedException when the credential is unknown, invalid or no longer good (403)
     * @throws StateUnavailableException when a backend needed to decide could not answer (503, never allow)
     */
    Identity verify(String credential) throws CredentialRejectedException, StateUnavailableException;

    /**
     * What {@link #verify} would answer, when it can be answered from what this verifier has already verified and
     * holds in memory, with no store call that may block and no signature check. Requests whose credential is
     * answered here are served on the thread that read them.
     *
     * @param credential a credential this verifier recognizes
     * @return the identity; empty when the credential must go through {@link #verify}
     * @throws CredentialRejectedException when what is cached proves the credential no longer good (403)
     * @throws StateUnavailableException when a backend needed to decide could not answer (503)
     */
    default Optional<Identity> verifyCached(String credential)
            throws CredentialRejectedException, StateUnavailableException {
        return Optional.empty();
    }
}
