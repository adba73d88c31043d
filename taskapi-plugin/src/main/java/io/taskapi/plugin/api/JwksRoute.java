package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /.well-known/jwks.json}: the public keys that verify workload identities, as an RFC 7517 key set in
 * Nomad's shape ({@code use: sig}, {@code kid}, {@code alg} RS256 or EdDSA). Public, but on a task socket every
 * request still needs a credential.
 */
public final class JwksRoute implements ApiRoute {
    private static final int ED25519_KEY_BYTES = 32;

    private final IdentityKeyStore keys;

    /** @param keys the published keys */
    @Inject
    public JwksRoute(IdentityKeyStore keys) {
        this.keys = requireNonNull(keys, "keys is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/.well-known/jwks.json";
    }

    @Override
    public Permission permission() {
        return Permission.AUTHENTICATED;
    }

    @Override
    public String help() {
        return "Returns the JSON Web Key Set that verifies workload identities.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the keyring may be remote
    }

    @Override
    public Object handle(ApiRequest request) throws StateUnavailableException {
        List<Map<String, String>> jwks = new ArrayList<>();
        for (VerificationKey key : keys.publishedKeys()) {
            jwks.add(jwk(key));
        }
        // Keys rotate slowly and are published before use: a verifier may cache them for a while.
        return ApiResponse.ok(Map.of("keys", jwks), Map.of("Cache-Control", "max-age=900"));
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
