package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.UUID;

/**
 * A key pair that signs workload identities with one algorithm, named by a {@code kid}. {@link #toString()} never
 * shows the private key.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.generate(SigningAlgorithm.EDDSA);
 * String token = issuer.token(task).signedWith(key).sign();
 * }</pre>
 */
public final class SigningKey {
    private final String keyId;
    private final SigningAlgorithm algorithm;
    private final KeyPair keyPair;
    private final VerificationKey verificationKey;

    private SigningKey(String keyId, SigningAlgorithm algorithm, KeyPair keyPair) {
        this.keyId = requireNonNull(keyId, "keyId is null");
        this.algorithm = requireNonNull(algorithm, "algorithm is null");
        this.keyPair = requireNonNull(keyPair, "keyPair is null");
        requireNonNull(keyPair.getPrivate(), "keyPair has no private key");
        // VerificationKey checks that the public key fits the algorithm.
        this.verificationKey = new VerificationKey(keyId, algorithm, keyPair.getPublic());
    }

    /**
     * Generates a fresh key with a random UUID {@code kid}: RSA-2048 for RS256, Ed25519 for EdDSA.
     *
     * @param algorithm the algorithm the key signs with
     * @return the new key
     */
    public static SigningKey generate(SigningAlgorithm algorithm) {
        return generate(algorithm, UUID.randomUUID().toString());
    }

    /**
     * Generates a fresh key with the given {@code kid}.
     *
     * @param algorithm the algorithm the key signs with
     * @param keyId the {@code kid} tokens signed with it carry
     * @return the new key
     */
    public static SigningKey generate(SigningAlgorithm algorithm, String keyId) {
        requireNonNull(algorithm, "algorithm is null");
        try {
            KeyPairGenerator generator = switch (algorithm) {
                case RS256 -> {
                    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                    rsa.initialize(2048);
                    yield rsa;
                }
                case EDDSA -> KeyPairGenerator.getInstance("Ed25519");
            };
            return new SigningKey(keyId, algorithm, generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + algorithm.jwsName() + " keys", e);
        }
    }

    /**
     * Wraps an existing key pair, for example one a test also hands to another JWT library.
     *
     * @param keyId the {@code kid}
     * @param algorithm the algorithm the pair signs with
     * @param keyPair an RSA pair for RS256, an Ed25519 pair for EdDSA
     * @return the key
     * @throws IllegalArgumentException when the pair does not fit the algorithm
     */
    public static SigningKey of(String keyId, SigningAlgorithm algorithm, KeyPair keyPair) {
        return new SigningKey(keyId, algorithm, keyPair);
    }

    /** @return the {@code kid} */
    public String keyId() {
        return keyId;
    }

    /** @return the algorithm this key signs with */
    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the public half */
    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** @return the private half; it is a throw-away test key */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** @return the public half as the SPI describes it, bound to {@link #algorithm()} */
    public VerificationKey verificationKey() {
        return verificationKey;
    }

    /**
     * Signs bytes the way a JWS with this key's algorithm is signed.
     *
     * @param data the JWS signing input ({@code base64url(header) + "." + base64url(payload)} in ASCII)
     * @return the raw signature: PKCS#1 v1.5 for RS256, 64 bytes for Ed25519
     */
    public byte[] sign(byte[] data) {
        requireNonNull(data, "data is null");
        try {
            Signature signature = Signature.getInstance(switch (algorithm) {
                case RS256 -> "SHA256withRSA";
                case EDDSA -> "Ed25519";
            });
            signature.initSign(keyPair.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + this, e);
        }
    }

    /** @return the key id and algorithm, never key material */
    @Override
    public String toString() {
        return "SigningKey[kid=" + keyId + ", alg=" + algorithm.jwsName() + "]";
    }
}
