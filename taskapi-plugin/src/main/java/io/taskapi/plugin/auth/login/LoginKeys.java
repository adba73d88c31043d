package io.taskapi.plugin.auth.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The keys an auth method verifies login tokens with: its PEM keys ({@code JWTValidationPubKeys}) or its JSON Web Key
 * Set ({@code JWKSURL}), read on each login from a {@code file:} URL or fetched from an {@code http(s):} one. RSA
 * (RS256) and Ed25519 (EdDSA) keys only; other keys in a set are skipped.
 */
final class LoginKeys {
    private static final int MAX_JWKS_BYTES = 1 << 20;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoginKeys() {}

    /**
     * A key and whether the token must name it.
     *
     * @param key the key; its id is {@code pem-N} for a PEM key
     * @param named whether it came with a {@code kid} (a JWKS key)
     */
    record Candidate(VerificationKey key, boolean named) {}

    /**
     * @param pem one PEM {@code PUBLIC KEY} block
     * @param index its position, for its id
     * @return the key
     * @throws IllegalArgumentException when it is not an RSA (2048 bits or more) or Ed25519 public key
     */
    static VerificationKey fromPem(String pem, int index) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException("JWTValidationPubKeys[" + index + "] is not a PEM PUBLIC KEY block");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JWTValidationPubKeys[" + index + "] is not valid base64");
        }
        for (String algorithm : List.of("RSA", "Ed25519")) {
            try {
                PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                return new VerificationKey("pem-" + index, algorithm.equals("RSA") ? SigningAlgorithm.RS256
                        : SigningAlgorithm.EDDSA, key);
            } catch (GeneralSecurityException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException("JWTValidationPubKeys[" + index + "] is neither an RSA nor an Ed25519 key");
    }

    /**
     * @param config the method's config
     * @return the keys to try
     * @throws LoginRejectedException when the key set cannot be read (Nomad refuses the login then too)
     */
    static List<Candidate> of(JwtMethodConfig config) throws LoginRejectedException {
        List<Candidate> candidates = new ArrayList<>();
        if (config.jwks().isEmpty()) {
            for (int i = 0; i < config.validationPubKeys().size(); i++) {
                candidates.add(new Candidate(fromPem(config.validationPubKeys().get(i), i), false));
            }
            return candidates;
        }
        byte[] document = readJwks(config.jwks().get());
        JsonNode keys;
        try {
            keys = JSON.readTree(document).path("keys");
        } catch (IOException e) {
            throw new LoginRejectedException("unable to get validation keys from JWKS: not JSON");
        }
        if (!keys.isArray()) {
            throw new LoginRejectedException("unable to get validation keys from JWKS: no \"keys\" list");
        }
        for (JsonNode jwk : keys) {
            fromJwk(jwk).ifPresent(key -> candidates.add(new Candidate(key, true)));
        }
        return candidates;
    }

    /** An RSA or Ed25519 signing key with a kid; anything else (EC, encryption keys, no kid) is skipped. */
    private static Optional<VerificationKey> fromJwk(JsonNode jwk) {
        String kid = jwk.path("kid").asText("");
        String use = jwk.path("use").asText("sig");
        if (kid.isBlank() || !use.equals("sig")) {
            return Optional.empty();
        }
        try {
            Base64.Decoder url = Base64.getUrlDecoder();
            switch (jwk.path("kty").asText("")) {
                case "RSA" -> {
                    BigInteger n = new BigInteger(1, url.decode(jwk.path("n").asText("")));
                    BigInteger e = new BigInteger(1, url.decode(jwk.path("e").asText("")));
                    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
                    return Optional.of(new VerificationKey(kid, SigningAlgorithm.RS256, key));
                }
                case "OKP" -> {
                    if (!jwk.path("crv").asText("").equals("Ed25519")) {
                        return Optional.empty();
                    }
                    byte[] raw = url.decode(jwk.path("x").asText(""));
                    byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
                    System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
                    System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
                    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
                    return Optional.of(new VerificationKey(kid, SigningAlgorithm.EDDSA, key));
                }
                default -> {
                    return Optional.empty();
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] readJwks(String location) throws LoginRejectedException {
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new LoginRejectedException("unable to get validation keys from JWKS: bad URL");
        }
        try {
            if ("file".equals(uri.getScheme())) {
                Path file = Path.of(uri);
                if (Files.size(file) > MAX_JWKS_BYTES) {
                    throw new LoginRejectedException("unable to get validation keys from JWKS: too large");
                }
                return Files.readAllBytes(file);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new LoginRejectedException("unable to get validation keys from JWKS: HTTP "
                            + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_JWKS_BYTES + 1);
                if (bytes.length > MAX_JWKS_BYTES) {
                    throw new LoginRejectedException("unable to get validation keys from JWKS: too large");
                }
                return bytes;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new LoginRejectedException("unable to get validation keys from JWKS: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginRejectedException("unable to get validation keys from JWKS: interrupted");
        }
    }
}
