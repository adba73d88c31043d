package io.taskapi.plugin.api;

import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verification keys as an RFC 7517 key set in Nomad's shape ({@code use: sig}, {@code kid}, {@code alg} RS256 or
 * EdDSA), for {@code GET /.well-known/jwks.json}.
 */
final class JsonWebKeys {
    private static final int ED25519_KEY_BYTES = 32;

    private JsonWebKeys() {}

    /**
     * @param keys the published keys
     * @return {@code {"keys":[…]}}
     */
    static Map<String, List<Map<String, String>>> of(List<VerificationKey> keys) {
        return Map.of("keys", keys.stream().map(JsonWebKeys::jwk).toList());
    }

    static Map<String, String> jwk(VerificationKey key) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        Map<String, String> jwk = new LinkedHashMap<>();
        jwk.put("kid", key.keyId());
        jwk.put("use", "sig");
        jwk.put("alg", key.algorithm().jwsName());
        jwk.put("kty", key.algorithm().jwkKeyType());
        if (key.algorithm() == SigningAlgorithm.RS256) {
            RSAPublicKey rsa = (RSAPublicKey) key.publicKey();
            jwk.put("n", base64.encodeToString(unsigned(rsa.getModulus())));
            jwk.put("e", base64.encodeToString(unsigned(rsa.getPublicExponent())));
        } else {
            byte[] encoded = key.publicKey().getEncoded(); // X.509 SubjectPublicKeyInfo: the raw key is at the end
            jwk.put("crv", "Ed25519");
            jwk.put("x", base64.encodeToString(Arrays.copyOfRange(encoded, encoded.length - ED25519_KEY_BYTES,
                    encoded.length)));
        }
        return jwk;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
