package io.taskapi.plugin.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/** An external issuer of login JWTs for tests: an RSA key, its PEM and JWKS forms, and signed tokens. */
final class LoginJwts {
    static final String ISSUER = "https://issuer.example";
    static final String AUDIENCE = "taskapi-login";

    private final KeyPair keys;
    private final String kid;

    LoginJwts(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.kid = kid;
    }

    /** @return the public key as a PEM block, JSON-escaped for a request body */
    String pemJson() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded());
        return ("-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n").replace("\n", "\\n");
    }

    /** @return the public key as a JSON Web Key Set with this issuer's kid */
    String jwks() {
        return new JWKSet(new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(kid).build()).toString();
    }

    /**
     * @param expiry the exp claim
     * @param claims more claims
     * @return a token from ISSUER for AUDIENCE
     */
    @SuppressWarnings("JavaUtilDate") // nimbus' claim setters take Date
    String sign(Instant expiry, Map<String, Object> claims) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice")
                .issueTime(new Date()).expirationTime(Date.from(expiry));
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), set.build());
        try {
            jwt.sign(new RSASSASigner(keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** @return a valid token, an hour to live, groups ["engineering"] and role "dev" */
    String valid() {
        return sign(Instant.now().plusSeconds(3600), Map.of("groups", java.util.List.of("engineering"),
                "role", "Dev"));
    }

    /**
     * @param name the method's name
     * @return a JWT auth method body with this issuer's PEM key
     */
    String methodBody(String name) {
        return "{\"Name\":\"" + name + "\",\"Type\":\"JWT\",\"TokenLocality\":\"local\",\"MaxTokenTTL\":\"1h\","
                + "\"Config\":{\"JWTValidationPubKeys\":[\"" + pemJson() + "\"],\"BoundAudiences\":[\"" + AUDIENCE
                + "\"],\"BoundIssuer\":[\"" + ISSUER + "\"],\"ClaimMappings\":{\"role\":\"role\"},"
                + "\"ListClaimMappings\":{\"groups\":\"groups\"}}}";
    }
}
