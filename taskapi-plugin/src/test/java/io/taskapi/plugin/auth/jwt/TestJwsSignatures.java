package io.taskapi.plugin.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/** The signature primitives against the RFC 8037 Appendix A vectors and known-bad signatures. */
class TestJwsSignatures {
    // RFC 8037 A.1, A.2, A.4.
    private static final String D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    private static final String X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    private static final String SIGNING_INPUT = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
    private static final String SIGNATURE =
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    private static final byte[] INPUT = SIGNING_INPUT.getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc8037A4VectorVerifiesWithTheRawKey() throws Exception {
        assertThat(JwsSignatures.verifyEd25519(decode(X), INPUT, decode(SIGNATURE))).isTrue();
    }

    @Test
    void rfc8037A4VectorVerifiesThroughAVerificationKey() throws Exception {
        VerificationKey key = new VerificationKey("rfc8037", SigningAlgorithm.EDDSA, jdkEd25519(decode(X)));
        assertThat(JwsSignatures.verify(key, INPUT, decode(SIGNATURE))).isTrue();
    }

    @Test
    void rfc8037A4SignatureIsReproducedByteForByte() throws Exception {
        // Ed25519 is deterministic: Bouncy Castle and the JDK must both produce the RFC's exact bytes from d.
        Ed25519Signer bc = new Ed25519Signer();
        bc.init(true, new Ed25519PrivateKeyParameters(decode(D), 0));
        bc.update(INPUT, 0, INPUT.length);
        assertThat(bc.generateSignature()).isEqualTo(decode(SIGNATURE));

        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420");
        byte[] encoded = new byte[pkcs8.length + 32];
        System.arraycopy(pkcs8, 0, encoded, 0, pkcs8.length);
        System.arraycopy(decode(D), 0, encoded, pkcs8.length, 32);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded)));
        jdk.update(INPUT);
        assertThat(jdk.sign()).isEqualTo(decode(SIGNATURE));
    }

    @Test
    void rfc8037A4VectorWithOneBitFlippedFails() throws Exception {
        byte[] signature = decode(SIGNATURE);
        signature[10] ^= 0x01;
        assertThat(JwsSignatures.verifyEd25519(decode(X), INPUT, signature)).isFalse();
        byte[] input = INPUT.clone();
        input[input.length - 1] ^= 0x01;
        assertThat(JwsSignatures.verifyEd25519(decode(X), input, decode(SIGNATURE))).isFalse();
    }

    @Test
    void allZeroEd25519SignatureFails() throws Exception {
        assertThat(JwsSignatures.verifyEd25519(decode(X), INPUT, new byte[64])).isFalse();
    }

    @Test
    void ed25519SignatureWithSAboveTheGroupOrderFails() throws Exception {
        // S + L verifies under a lax check (malleability); RFC 8032 requires S < L.
        byte[] signature = decode(SIGNATURE);
        byte[] order = HexFormat.of().parseHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        int carry = 0;
        for (int i = 0; i < 32; i++) {
            int sum = (signature[32 + i] & 0xFF) + (order[i] & 0xFF) + carry;
            signature[32 + i] = (byte) sum;
            carry = sum >> 8;
        }
        assertThat(JwsSignatures.verifyEd25519(decode(X), INPUT, signature)).isFalse();
    }

    @Test
    void ed25519SignatureOfTheWrongLengthFails() throws Exception {
        byte[] signature = decode(SIGNATURE);
        assertThat(JwsSignatures.verifyEd25519(decode(X), INPUT, java.util.Arrays.copyOf(signature, 63))).isFalse();
        assertThat(JwsSignatures.verifyEd25519(decode(X), INPUT, java.util.Arrays.copyOf(signature, 65))).isFalse();
        assertThat(JwsSignatures.verifyEd25519(decode(X), INPUT, new byte[0])).isFalse();
    }

    @Test
    void ed25519RawKeyOfTheWrongLengthIsInvalid() {
        assertThatThrownBy(() -> JwsSignatures.verifyEd25519(new byte[31], INPUT, decode(SIGNATURE)))
                .isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void weakRsaKeyIsInvalid() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        VerificationKey key = new VerificationKey("weak", SigningAlgorithm.RS256,
                generator.generateKeyPair().getPublic());
        assertThatThrownBy(() -> JwsSignatures.verify(key, INPUT, new byte[128]))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("2048");
    }

    @Test
    void allZeroRsaSignatureFails() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        VerificationKey key = new VerificationKey("k", SigningAlgorithm.RS256, generator.generateKeyPair().getPublic());
        assertThat(JwsSignatures.verify(key, INPUT, new byte[256])).isFalse();
        assertThat(JwsSignatures.verify(key, INPUT, new byte[0])).isFalse();
    }

    @Test
    void rs256RoundTripWithTheJdk() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update(INPUT);
        byte[] signature = signer.sign();
        VerificationKey key = new VerificationKey("k", SigningAlgorithm.RS256, pair.getPublic());
        assertThat(JwsSignatures.verify(key, INPUT, signature)).isTrue();
        signature[0] ^= 0x01;
        assertThat(JwsSignatures.verify(key, INPUT, signature)).isFalse();
    }

    private static byte[] decode(String base64url) {
        return Base64.getUrlDecoder().decode(base64url);
    }

    private static PublicKey jdkEd25519(byte[] raw) throws Exception {
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] encoded = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, encoded, 0, prefix.length);
        System.arraycopy(raw, 0, encoded, prefix.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    }
}
