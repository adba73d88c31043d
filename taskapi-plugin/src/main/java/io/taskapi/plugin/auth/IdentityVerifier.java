package io.taskapi.plugin.auth;

import io.taskapi.spi.state.StateUnavailableException;

/**
 * Turns a presented credential into an {@link Identity}. Verifiers are a Guice multibinder set: the gate asks each
 * whether a credential has its shape and lets the first that {@linkplain #recognizes recognizes} it decide.
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
}
