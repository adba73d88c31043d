package io.taskapi.spi.state;

import java.util.Optional;

/** The JWS algorithms a workload identity may be signed with, as Nomad signs them. */
public enum SigningAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256, Nomad's default since 1.7. */
    RS256("RS256", "RSA"),
    /** Ed25519, Nomad's fallback for older root keys. */
    EDDSA("EdDSA", "OKP");

    private final String jwsName;
    private final String jwkKeyType;

    SigningAlgorithm(String jwsName, String jwkKeyType) {
        this.jwsName = jwsName;
        this.jwkKeyType = jwkKeyType;
    }

    /** @return the name in a JWS header's {@code alg}, exactly as written there */
    public String jwsName() {
        return jwsName;
    }

    /** @return the JWK {@code kty} of keys for this algorithm */
    public String jwkKeyType() {
        return jwkKeyType;
    }

    /**
     * Matches a header's {@code alg} exactly (case-sensitive, as RFC 7515 requires).
     *
     * @param alg the header value
     * @return the algorithm, or empty when it is not one of these
     */
    public static Optional<SigningAlgorithm> fromJwsName(String alg) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.jwsName.equals(alg)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
