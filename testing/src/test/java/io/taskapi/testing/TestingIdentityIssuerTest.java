package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TestingIdentityIssuerTest {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final TaskRef TASK = new TaskRef("2a6b1d7e-5c1f-4a7e-9d8c-0f1e2d3c4b5a", "prod", "web-job",
            "frontend", "server");

    private final TestingClock clock = new TestingClock(NOW);
    private final TestingIdentityIssuer issuer = TestingIdentityIssuer.create(clock);

    @Test
    void rs256TokenVerifiesWithNimbusAndCarriesNomadClaims() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.mint(TASK));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(issuer.rsaKey().keyId());
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) issuer.rsaKey().publicKey()))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("nomad_namespace")).isEqualTo("prod");
        assertThat(claims.getStringClaim("nomad_job_id")).isEqualTo("web-job");
        assertThat(claims.getStringClaim("nomad_allocation_id")).isEqualTo(TASK.allocationId());
        assertThat(claims.getStringClaim("nomad_task")).isEqualTo("server");
        assertThat(claims.getSubject()).isEqualTo("global:prod:web-job:frontend:server:default");
        assertThat(claims.getAudience()).containsExactly("nomadproject.io");
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getNotBeforeTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plus(Duration.ofHours(1))));
        assertThat(UUID.fromString(claims.getJWTID())).isNotNull();
        // aud is an array even with one value, as Nomad writes it
        JsonNode payload = Json.MAPPER.readTree(JwsParts.split(issuer.mint(TASK)).payloadJson());
        assertThat(payload.get("aud").isArray()).isTrue();
        assertThat(payload.get("iat").isIntegralNumber()).isTrue();
    }

    @Test
    void headerHasAlgKidTypInThatOrder() {
        String header = issuer.token(TASK).parts().headerJson();

        assertThat(header).isEqualTo("{\"alg\":\"RS256\",\"kid\":\"" + issuer.rsaKey().keyId() + "\",\"typ\":\"JWT\"}");
    }

    @Test
    void eddsaTokenVerifiesWithKeyFromTheJwks() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.token(TASK).signedWith(issuer.ed25519Key()).sign());
        JWK jwk = JWKSet.parse(issuer.jwksJson()).getKeyByKeyId(jwt.getHeader().getKeyID());

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(jwk).isInstanceOf(OctetKeyPair.class);
        assertThat(jwt.verify(new Ed25519Verifier(jwk.toOctetKeyPair()))).isTrue();
    }

    @Test
    void jwksParsesWithNimbusAndDescribesEveryPublishedKey() throws Exception {
        JWKSet set = JWKSet.parse(issuer.jwksJson());

        assertThat(set.getKeys()).hasSize(2);
        RSAKey rsa = set.getKeyByKeyId(issuer.rsaKey().keyId()).toRSAKey();
        assertThat(rsa.getKeyType()).isEqualTo(KeyType.RSA);
        assertThat(rsa.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(rsa.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(rsa.toRSAPublicKey().getModulus())
                .isEqualTo(((RSAPublicKey) issuer.rsaKey().publicKey()).getModulus());
        assertThat(rsa.toRSAPublicKey().getPublicExponent())
                .isEqualTo(((RSAPublicKey) issuer.rsaKey().publicKey()).getPublicExponent());
        OctetKeyPair okp = set.getKeyByKeyId(issuer.ed25519Key().keyId()).toOctetKeyPair();
        assertThat(okp.getKeyType()).isEqualTo(KeyType.OKP);
        assertThat(okp.getCurve()).isEqualTo(Curve.Ed25519);
        assertThat(okp.getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(okp.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(okp.isPrivate()).isFalse();
        assertThat(rsa.isPrivate()).isFalse();
        // n without a leading zero byte (RFC 7518 §6.3.1): 2048 bits are 256 bytes
        assertThat(rsa.getModulus().decode()).hasSize(256);
    }

    @Test
    void verificationKeysMatchTheSigningKeys() {
        assertThat(issuer.verificationKeys()).containsExactly(issuer.rsaKey().verificationKey(),
                issuer.ed25519Key().verificationKey());
        assertThat(issuer.verificationKeys()).extracting(VerificationKey::algorithm)
                .containsExactly(SigningAlgorithm.RS256, SigningAlgorithm.EDDSA);
        assertThat(issuer.key(SigningAlgorithm.EDDSA)).isSameAs(issuer.ed25519Key());
    }

    @Test
    void unpublishedKeySignsWithAKidNobodyKnows() throws Exception {
        SigningKey stranger = issuer.addUnpublishedKey(SigningAlgorithm.RS256);

        SignedJWT jwt = SignedJWT.parse(issuer.token(TASK).signedWith(stranger).sign());

        assertThat(jwt.getHeader().getKeyID()).isEqualTo(stranger.keyId());
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) stranger.publicKey()))).isTrue();
        assertThat(issuer.verificationKeys()).extracting(VerificationKey::keyId).doesNotContain(stranger.keyId());
        assertThat(JWKSet.parse(issuer.jwksJson()).getKeyByKeyId(stranger.keyId())).isNull();
        assertThat(issuer.publishedKey(stranger.keyId())).isEmpty();
    }

    @Test
    void publishAndUnpublishChangeTheJwks() throws Exception {
        SigningKey rotated = issuer.addPublishedKey(SigningAlgorithm.RS256);
        assertThat(JWKSet.parse(issuer.jwksJson()).getKeys()).hasSize(3);
        assertThat(issuer.publishedKey(rotated.keyId())).contains(rotated);

        assertThat(issuer.unpublish(issuer.ed25519Key().keyId())).isTrue();
        assertThat(issuer.unpublish(issuer.ed25519Key().keyId())).isFalse();

        assertThat(issuer.verificationKeys()).extracting(VerificationKey::keyId)
                .containsExactly(issuer.rsaKey().keyId(), rotated.keyId());
    }

    @Test
    void signingWithOneKeyAndLabellingWithAnothersKid() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.token(TASK).signedWith(issuer.ed25519Key())
                .kid(issuer.rsaKey().keyId()).sign());

        assertThat(jwt.getHeader().getKeyID()).isEqualTo(issuer.rsaKey().keyId());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(jwt.verify(new Ed25519Verifier(JWKSet.parse(issuer.jwksJson())
                .getKeyByKeyId(issuer.ed25519Key().keyId()).toOctetKeyPair()))).isTrue();
    }

    @Test
    void headerAlgCanLieAboutTheSignature() throws Exception {
        JwsParts parts = issuer.token(TASK).alg("HS256").parts();

        assertThat(Json.MAPPER.readTree(parts.headerJson()).get("alg").asText()).isEqualTo("HS256");
        assertThat(parts.signatureBytes()).hasSize(256);   // still an RSA signature
    }

    @Test
    void unsignedTokenHasAlgNoneAndEmptySignature() throws Exception {
        String token = issuer.token(TASK).unsigned().sign();
        JwsParts parts = JwsParts.split(token);

        assertThat(token).endsWith(".");
        assertThat(parts.signature()).isEmpty();
        JsonNode header = Json.MAPPER.readTree(parts.headerJson());
        assertThat(header.get("alg").asText()).isEqualTo("none");
        assertThat(header.get("kid").asText()).isEqualTo(issuer.rsaKey().keyId());
        assertThat(JWTParser.parse(token)).isInstanceOf(PlainJWT.class);
        // a later alg wins: an RS256 header with no signature
        assertThat(issuer.token(TASK).unsigned().alg("RS256").parts().headerJson()).contains("\"RS256\"");
    }

    @Test
    void tamperedPayloadNoLongerVerifies() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.token(TASK).tamperPayload().sign());

        assertThat(jwt.getJWTClaimsSet().getStringClaim("nomad_job_id")).isEqualTo("web-job-tampered");
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) issuer.rsaKey().publicKey()))).isFalse();

        SignedJWT custom = SignedJWT.parse(issuer.token(TASK)
                .tamperPayload(claims -> claims.put("nomad_namespace", "default")).sign());
        assertThat(custom.getJWTClaimsSet().getStringClaim("nomad_namespace")).isEqualTo("default");
        assertThat(custom.verify(new RSASSAVerifier((RSAPublicKey) issuer.rsaKey().publicKey()))).isFalse();
    }

    @Test
    void tamperedSignatureNoLongerVerifies() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.token(TASK).tamperSignature().sign());

        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) issuer.rsaKey().publicKey()))).isFalse();
        assertThatThrownBy(() -> issuer.token(TASK).unsigned().tamperSignature().sign())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void swappedPartsMakeASignatureOverAnotherTasksClaims() throws Exception {
        TaskRef other = new TaskRef(UUID.randomUUID().toString(), "prod", "other", "g", "t");
        JwsParts mine = issuer.token(TASK).parts();
        String franken = mine.withPayload(issuer.token(other).parts().payload()).compact();

        assertThat(SignedJWT.parse(franken).verify(new RSASSAVerifier((RSAPublicKey) issuer.rsaKey().publicKey())))
                .isFalse();
        assertThat(JwsParts.split(franken).toString()).contains("\"other\"").doesNotContain(mine.signature());
    }

    @Test
    void anyClaimCanBeReplacedOrRemoved() throws Exception {
        SignedJWT jwt = SignedJWT.parse(issuer.token(TASK)
                .claim("nomad_allocation_id", 42)
                .claim("nomad_task", Map.of("nested", List.of(1, 2)))
                .claim("nomad_namespace", null)
                .claim("iss", "https://nomad.example")
                .withoutClaim("exp")
                .withoutClaim("jti")
                .sign());

        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) issuer.rsaKey().publicKey()))).isTrue();
        JsonNode claims = Json.MAPPER.readTree(jwt.getPayload().toString());
        assertThat(claims.get("nomad_allocation_id").asInt()).isEqualTo(42);
        assertThat(claims.get("nomad_task").get("nested").size()).isEqualTo(2);
        assertThat(claims.get("nomad_namespace").isNull()).isTrue();
        assertThat(claims.get("iss").asText()).isEqualTo("https://nomad.example");
        assertThat(claims.has("exp")).isFalse();
        assertThat(claims.has("jti")).isFalse();
    }

    @Test
    void headerFieldsCanBeAddedAndRemoved() throws Exception {
        JsonNode header = Json.MAPPER.readTree(issuer.token(TASK)
                .withoutHeader("kid")
                .typ("at+jwt")
                .header("crit", List.of("exp"))
                .header("jku", "https://attacker.example/jwks.json")
                .parts().headerJson());

        assertThat(header.has("kid")).isFalse();
        assertThat(header.get("typ").asText()).isEqualTo("at+jwt");
        assertThat(header.get("crit").get(0).asText()).isEqualTo("exp");
        assertThat(header.get("jku").asText()).startsWith("https://attacker");
    }

    @Test
    void typedSettersShapeSubjectAudienceAndTask() throws Exception {
        TaskRef other = new TaskRef(UUID.randomUUID().toString(), "dev", "batch", "workers", "worker");
        JWTClaimsSet claims = SignedJWT.parse(issuer.token(TASK)
                .claim("nomad_task", "overridden")
                .task(other)
                .region("eu")
                .identityName("vault_default")
                .audience("vault.io", "consul.io")
                .jwtId("fixed-id")
                .sign()).getJWTClaimsSet();

        assertThat(claims.getStringClaim("nomad_task")).isEqualTo("worker");
        assertThat(claims.getStringClaim("nomad_allocation_id")).isEqualTo(other.allocationId());
        assertThat(claims.getSubject()).isEqualTo("eu:dev:batch:workers:worker:vault_default");
        assertThat(claims.getAudience()).containsExactly("vault.io", "consul.io");
        assertThat(claims.getJWTID()).isEqualTo("fixed-id");
    }

    @Test
    void timesFollowTheClockAndCanBeMoved() throws Exception {
        JWTClaimsSet expired = SignedJWT.parse(issuer.token(TASK).expiresAt(Duration.ofMinutes(-5)).sign())
                .getJWTClaimsSet();
        assertThat(expired.getExpirationTime()).isEqualTo(Date.from(NOW.minusSeconds(300)));
        assertThat(expired.getIssueTime()).isEqualTo(Date.from(NOW));

        JWTClaimsSet old = SignedJWT.parse(issuer.token(TASK).issuedAt(Duration.ofHours(-2)).sign())
                .getJWTClaimsSet();
        assertThat(old.getIssueTime()).isEqualTo(Date.from(NOW.minusSeconds(7200)));
        assertThat(old.getNotBeforeTime()).isEqualTo(old.getIssueTime());
        assertThat(old.getExpirationTime()).isEqualTo(Date.from(NOW.minusSeconds(3600)));

        JWTClaimsSet future = SignedJWT.parse(issuer.token(TASK).notBefore(Duration.ofMinutes(10))
                .ttl(Duration.ofMinutes(30)).sign()).getJWTClaimsSet();
        assertThat(future.getNotBeforeTime()).isEqualTo(Date.from(NOW.plusSeconds(600)));
        assertThat(future.getExpirationTime()).isEqualTo(Date.from(NOW.plusSeconds(1800)));

        Instant fixed = Instant.parse("2001-01-01T00:00:00Z");
        JWTClaimsSet absolute = SignedJWT.parse(issuer.token(TASK).issuedAt(fixed).notBefore(fixed)
                .expiresAt(fixed.plusSeconds(1)).sign()).getJWTClaimsSet();
        assertThat(absolute.getExpirationTime()).isEqualTo(Date.from(fixed.plusSeconds(1)));

        IdentityTokenBuilder relative = issuer.token(TASK);
        clock.advance(Duration.ofMinutes(1));
        assertThat(SignedJWT.parse(relative.sign()).getJWTClaimsSet().getIssueTime())
                .isEqualTo(Date.from(NOW.plusSeconds(60)));

        assertThat(SignedJWT.parse(issuer.token(TASK).withoutExpiry().sign()).getJWTClaimsSet()
                .getExpirationTime()).isNull();
        assertThat(SignedJWT.parse(issuer.token(TASK).withoutExpiry().ttl(Duration.ofMinutes(1)).sign())
                .getJWTClaimsSet().getExpirationTime()).isNotNull();
    }

    @Test
    void rawHeaderAndPayloadAreSignedAsGiven() throws Exception {
        String token = issuer.token(TASK)
                .headerJson("{\"alg\":\"RS256\",\"alg\":\"none\"}")
                .payloadJson("{\"nomad_task\":\"a\",\"nomad_task\":\"b\"}")
                .sign();
        JwsParts parts = JwsParts.split(token);

        assertThat(parts.headerJson()).isEqualTo("{\"alg\":\"RS256\",\"alg\":\"none\"}");
        assertThat(parts.payloadJson()).isEqualTo("{\"nomad_task\":\"a\",\"nomad_task\":\"b\"}");
        assertThat(Signature.getInstance("SHA256withRSA")).satisfies(signature -> {
            signature.initVerify(issuer.rsaKey().publicKey());
            signature.update((parts.header() + "." + parts.payload()).getBytes(US_ASCII));
            assertThat(signature.verify(parts.signatureBytes())).isTrue();
        });
        assertThatThrownBy(() -> issuer.token(TASK).payloadJson("{}").tamperPayload().sign())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void compactJwsRejectsWrongPartCounts() {
        assertThatThrownBy(() -> JwsParts.split("a.b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwsParts.split("a.b.c.d")).isInstanceOf(IllegalArgumentException.class);
        assertThat(JwsParts.split("a.b.").signature()).isEmpty();
    }

    @Test
    void nothingPrintsKeyMaterial() {
        String privateKey = Base64.getEncoder().encodeToString(issuer.rsaKey().privateKey().getEncoded());

        assertThat(issuer.rsaKey().toString()).contains(issuer.rsaKey().keyId()).doesNotContain(privateKey);
        assertThat(issuer.toString()).contains(issuer.rsaKey().keyId());
        assertThat(issuer.token(TASK).toString()).contains("RS256");
    }

    @Test
    void signingKeyWrapsAnExistingPairOnlyWhenItFits() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        SigningKey key = SigningKey.of("my-kid", SigningAlgorithm.EDDSA, ed);

        assertThat(key.keyId()).isEqualTo("my-kid");
        assertThat(Jwks.jwkJson(key.verificationKey())).contains("\"crv\":\"Ed25519\"").contains("\"kid\":\"my-kid\"");
        assertThatThrownBy(() -> SigningKey.of("k", SigningAlgorithm.RS256, ed))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestingIdentityIssuer.create(clock, key, key))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
