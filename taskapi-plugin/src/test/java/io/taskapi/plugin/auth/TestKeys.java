package io.taskapi.plugin.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** Keys generated once per test run by nimbus, independent of the code under test. */
final class TestKeys {
    static final String RSA_KID = "rsa-1";
    static final String ED_KID = "ed-1";

    static final RSAKey RSA = generateRsa(RSA_KID);
    static final OctetKeyPair ED = generateEd(ED_KID);

    private TestKeys() {}

    static VerificationKey rsaKey() {
        try {
            return new VerificationKey(RSA_KID, SigningAlgorithm.RS256, RSA.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static VerificationKey edKey() {
        return new VerificationKey(ED_KID, SigningAlgorithm.EDDSA, ed25519PublicKey(ED.getDecodedX()));
    }

    /** A JDK public key from a raw Ed25519 key, through its X.509 encoding (RFC 8410). */
    static PublicKey ed25519PublicKey(byte[] raw) {
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] encoded = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, encoded, 0, prefix.length);
        System.arraycopy(raw, 0, encoded, prefix.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static OctetKeyPair generateEd(String kid) {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
