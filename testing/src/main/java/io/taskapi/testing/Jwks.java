package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.state.VerificationKey;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Collection;

/**
 * Writes verification keys as an RFC 7517 JSON Web Key Set, the shape of Nomad's {@code /.well-known/jwks.json}:
 * RSA keys as {@code {"kty":"RSA","n","e"}}, Ed25519 keys as {@code {"kty":"OKP","crv":"Ed25519","x"}} (RFC 8037),
 * each with {@code kid}, {@code alg} and {@code "use":"sig"}.
 */
public final class Jwks {
    // An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix followed by the 32-byte raw key (RFC 8410 §4).
    private static final int ED25519_KEY_LENGTH = 32;

    private Jwks() {}

    /**
     * @param keys the keys to publish, in order
     * @return {@code {"keys":[…]}}
     */
    public static String jwksJson(Collection<VerificationKey> keys) {
        requireNonNull(keys, "keys is null");
        ObjectNode set = Json.MAPPER.createObjectNode();
        ArrayNode array = set.putArray("keys");
        keys.forEach(key -> array.add(jwk(key)));
        return write(set);
    }

    /**
     * @param key one key
     * @return its JWK as a JSON object
     */
    public static String jwkJson(VerificationKey key) {
        return write(jwk(key));
    }

    static ObjectNode jwk(VerificationKey key) {
        requireNonNull(key, "key is null");
        ObjectNode jwk = Json.MAPPER.createObjectNode();
        jwk.put("kty", key.algorithm().jwkKeyType());
        switch (key.algorithm()) {
            case RS256 -> {
                RSAPublicKey rsa = (RSAPublicKey) key.publicKey();
                jwk.put("n", base64Unsigned(rsa.getModulus()));
                jwk.put("e", base64Unsigned(rsa.getPublicExponent()));
            }
            case EDDSA -> {
                byte[] encoded = key.publicKey().getEncoded();
                if (encoded == null || encoded.length < ED25519_KEY_LENGTH) {
                    throw new IllegalArgumentException("not an X.509-encoded Ed25519 key: " + key.keyId());
                }
                jwk.put("crv", "Ed25519");
                jwk.put("x", Json.BASE64URL.encodeToString(
                        Arrays.copyOfRange(encoded, encoded.length - ED25519_KEY_LENGTH, encoded.length)));
            }
        }
        jwk.put("kid", key.keyId());
        jwk.put("alg", key.algorithm().jwsName());
        jwk.put("use", "sig");
        return jwk;
    }

    // RFC 7518 §6.3.1: n and e are unsigned big-endian, with no leading zero byte.
    private static String base64Unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Json.BASE64URL.encodeToString(bytes);
    }

    private static String write(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
