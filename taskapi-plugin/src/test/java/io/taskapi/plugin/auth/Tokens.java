package io.taskapi.plugin.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mints tokens with nimbus-jose-jwt, so the verifier is checked against another implementation. Well-formed tokens
 * go through nimbus' own JWT builder; hostile ones are built from raw JSON and signed with nimbus' signers.
 */
final class Tokens {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String AUDIENCE = "nomadproject.io";
    static final String ALLOC_ID = "5f1e6a2b-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String NAMESPACE = "default";
    static final String JOB_ID = "example";
    static final String TASK = "web";
    static final String SUBJECT = "global:default:example:cache:web:default";
    static final String RSA_HEADER = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"JWT\"}";
    static final String ED_HEADER = "{\"alg\":\"EdDSA\",\"kid\":\"ed-1\",\"typ\":\"JWT\"}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens() {}

    /** Every claim Nomad puts in a default workload identity, plus exp, valid at {@link #NOW}. */
    static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder()
                .subject(SUBJECT)
                .audience(AUDIENCE)
                .issueTime(Date.from(NOW))
                .notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .jwtID("1b4e28ba-2fa1-41d2-883f-0016d3cca427")
                .claim("nomad_namespace", NAMESPACE)
                .claim("nomad_job_id", JOB_ID)
                .claim("nomad_allocation_id", ALLOC_ID)
                .claim("nomad_task", TASK);
    }

    /** {@link #validClaims()} as a mutable map, for tests that remove or retype claims. */
    static Map<String, Object> validClaimsMap() {
        return new LinkedHashMap<>(Map.of(
                "sub", SUBJECT,
                "aud", List.of(AUDIENCE),
                "iat", NOW.getEpochSecond(),
                "nbf", NOW.getEpochSecond(),
                "exp", NOW.plus(Duration.ofHours(1)).getEpochSecond(),
                "nomad_namespace", NAMESPACE,
                "nomad_job_id", JOB_ID,
                "nomad_allocation_id", ALLOC_ID,
                "nomad_task", TASK));
    }

    static String rs256(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(TestKeys.RSA_KID).type(JOSEObjectType.JWT).build(),
                claims, rsaSigner(TestKeys.RSA));
    }

    static String eddsa(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(TestKeys.ED_KID).type(JOSEObjectType.JWT).build(),
                claims, edSigner(TestKeys.ED));
    }

    static String rs256(Map<String, Object> claims) {
        return signRs256(RSA_HEADER, json(claims));
    }

    static String eddsa(Map<String, Object> claims) {
        return signEdDsa(ED_HEADER, json(claims));
    }

    /** Signs arbitrary header and claims text with the test RSA key, whatever the header says. */
    static String signRs256(String headerJson, String claimsJson) {
        return signRaw(headerJson, claimsJson, rsaSigner(TestKeys.RSA), JWSAlgorithm.RS256);
    }

    /** Signs arbitrary header and claims text with the test Ed25519 key, whatever the header says. */
    static String signEdDsa(String headerJson, String claimsJson) {
        return signRaw(headerJson, claimsJson, edSigner(TestKeys.ED), JWSAlgorithm.EdDSA);
    }

    /** Signs arbitrary header and claims bytes, UTF-8 or not, with the test Ed25519 key, whatever the header says. */
    static String signEdDsa(byte[] headerJson, byte[] claimsJson) {
        return signRaw(headerJson, claimsJson, edSigner(TestKeys.ED), JWSAlgorithm.EdDSA);
    }

    /** HMAC-SHA256 over arbitrary header and claims text with the given secret. */
    static String signHs256(String headerJson, String claimsJson, byte[] secret) {
        try {
            return signRaw(headerJson, claimsJson, new MACSigner(secret), JWSAlgorithm.HS256);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(String headerJson, String claimsJson, byte[] signature) {
        return b64(headerJson) + "." + b64(claimsJson) + "." + b64(signature);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] unb64(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] parts(String token) {
        return token.split("\\.", -1);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signRaw(String headerJson, String claimsJson, JWSSigner signer, JWSAlgorithm algorithm) {
        return signRaw(headerJson.getBytes(StandardCharsets.UTF_8), claimsJson.getBytes(StandardCharsets.UTF_8), signer,
                algorithm);
    }

    private static String signRaw(byte[] headerJson, byte[] claimsJson, JWSSigner signer, JWSAlgorithm algorithm) {
        String signingInput = b64(headerJson) + "." + b64(claimsJson);
        try {
            return signingInput + "." + signer.sign(new JWSHeader(algorithm),
                    signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner edSigner(OctetKeyPair key) {
        try {
            return new Ed25519Signer(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static JWTClaimsSet parseClaims(Map<String, Object> claims) {
        try {
            return JWTClaimsSet.parse(claims);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
