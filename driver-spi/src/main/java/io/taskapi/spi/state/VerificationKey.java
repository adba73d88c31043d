package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.security.PublicKey;

/**
 * A public key that verifies workload identities, bound to one algorithm: a token whose header names another
 * algorithm is refused, so the header never chooses how the key is used.
 *
 * @param keyId the {@code kid} tokens carry
 * @param algorithm the one algorithm this key verifies
 * @param publicKey an RSA key for RS256, an Ed25519 key for EdDSA
 */
public record VerificationKey(String keyId, SigningAlgorithm algorithm, PublicKey publicKey) {
    /**
     * Checks that the key's type fits its algorithm.
     *
     * @param keyId see the record component of that name
     * @param algorithm see the record component of that name
     * @param publicKey see the record component of that name
     */
    public VerificationKey {
        requireNonNull(keyId, "keyId is null");
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(publicKey, "publicKey is null");
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("keyId is blank");
        }
        String keyAlgorithm = publicKey.getAlgorithm();
        boolean fits = switch (algorithm) {
            case RS256 -> keyAlgorithm.equals("RSA");
            case EDDSA -> keyAlgorithm.equals("Ed25519") || keyAlgorithm.equals("EdDSA");
        };
        if (!fits) {
            throw new IllegalArgumentException("a " + keyAlgorithm + " key cannot verify " + algorithm.jwsName());
        }
    }
}
