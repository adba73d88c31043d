package io.taskapi.plugin.auth.jwt;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.SigningAlgorithm;

/**
 * The parts of a JOSE header that verification uses, after the header passed every check.
 *
 * @param algorithm the allow-listed {@code alg}
 * @param keyId the non-empty {@code kid}
 */
public record JwsHeader(SigningAlgorithm algorithm, String keyId) {
    /**
     * Checks that nothing is missing.
     *
     * @param algorithm the allow-listed {@code alg}
     * @param keyId the non-empty {@code kid}
     */
    public JwsHeader {
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(keyId, "keyId is null");
        // Empty only for a login token that names no key (CompactJws#parse(String, boolean)).
    }
}
