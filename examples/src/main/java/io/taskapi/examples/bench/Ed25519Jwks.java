package io.taskapi.examples.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the Ed25519 keys of an RFC 7517 JSON Web Key Set ({@code {"keys":[{"kty":"OKP","crv":"Ed25519","x":…,
 * "kid":…}]}}, RFC 8037), as {@code goref mint} writes it. Other keys are skipped; a set without a usable Ed25519 key
 * is an error.
 */
public final class Ed25519Jwks {
    /** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the raw 32-byte key follows. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int KEY_LENGTH = 32;

    private Ed25519Jwks() {}

    /**
     * @param file a JWKS file
     * @param mapper reads it
     * @return its Ed25519 keys, bound to EdDSA, in file order
     * @throws IOException when the file cannot be read or parsed
     * @throws IllegalArgumentException when it holds no usable Ed25519 key, or an Ed25519 key is malformed
     */
    public static List<VerificationKey> read(Path file, ObjectMapper mapper) throws IOException {
        requireNonNull(file, "file is null");
        return parse(Files.readString(file), mapper);
    }

    /**
     * @param json a JWKS document
     * @param mapper reads it
     * @return its Ed25519 keys, bound to EdDSA, in document order
     * @throws IOException when it is not JSON
     * @throws IllegalArgumentException when it holds no usable Ed25519 key, or an Ed25519 key is malformed
     */
    public static List<VerificationKey> parse(String json, ObjectMapper mapper) throws IOException {
        requireNonNull(json, "json is null");
        JsonNode keys = mapper.readTree(json).path("keys");
        if (!keys.isArray()) {
            throw new IllegalArgumentException("not a JWKS: no \"keys\" array");
        }
        List<VerificationKey> found = new ArrayList<>();
        for (JsonNode jwk : keys) {
            if (!"OKP".equals(jwk.path("kty").asText()) || !"Ed25519".equals(jwk.path("crv").asText())) {
                continue;
            }
            String kid = jwk.path("kid").asText("");
            if (kid.isBlank()) {
                throw new IllegalArgumentException("an Ed25519 JWK has no kid");
            }
            byte[] raw;
            try {
                raw = Base64.getUrlDecoder().decode(jwk.path("x").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Ed25519 JWK " + kid + ": x is not base64url", e);
            }
            found.add(new VerificationKey(kid, SigningAlgorithm.EDDSA, publicKey(kid, raw)));
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("the JWKS holds no Ed25519 (kty OKP, crv Ed25519) key");
        }
        return List.copyOf(found);
    }

    private static PublicKey publicKey(String kid, byte[] raw) {
        if (raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 JWK " + kid + ": x is " + raw.length + " bytes, not 32");
        }
        byte[] spki = new byte[SPKI_PREFIX.length + KEY_LENGTH];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, KEY_LENGTH);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Ed25519 JWK " + kid + ": not a valid public key", e);
        }
    }
}
