package io.taskapi.plugin.auth;

import static io.taskapi.plugin.auth.Tokens.ALLOC_ID;
import static io.taskapi.plugin.auth.Tokens.AUDIENCE;
import static io.taskapi.plugin.auth.Tokens.ED_HEADER;
import static io.taskapi.plugin.auth.Tokens.NOW;
import static io.taskapi.plugin.auth.Tokens.RSA_HEADER;
import static io.taskapi.plugin.auth.Tokens.b64;
import static io.taskapi.plugin.auth.Tokens.json;
import static io.taskapi.plugin.auth.Tokens.parts;
import static io.taskapi.plugin.auth.Tokens.validClaims;
import static io.taskapi.plugin.auth.Tokens.validClaimsMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestWorkloadIdentityVerifier {
    private static final Duration LEEWAY = Duration.ofSeconds(60);

    private final AuthFixture fixture = new AuthFixture();

    // ---- valid tokens ----

    @Test
    void validRs256PassesWithEveryClaimMapped() throws Exception {
        Identity identity = fixture.workload.verify(Tokens.rs256(validClaims().build()));

        assertThat(identity).isEqualTo(new WorkloadIdentity(Tokens.NAMESPACE, Tokens.JOB_ID, ALLOC_ID, Tokens.TASK,
                Tokens.SUBJECT, List.of(AUDIENCE), TestKeys.RSA_KID, Optional.of(NOW),
                Optional.of(NOW.plus(Duration.ofHours(1)))));
        assertThat(identity.auditName()).isEqualTo("workload:" + Tokens.SUBJECT);
    }

    @Test
    void validEdDsaPassesWithEveryClaimMapped() throws Exception {
        Identity identity = fixture.workload.verify(Tokens.eddsa(validClaims().build()));

        assertThat(identity).isEqualTo(new WorkloadIdentity(Tokens.NAMESPACE, Tokens.JOB_ID, ALLOC_ID, Tokens.TASK,
                Tokens.SUBJECT, List.of(AUDIENCE), TestKeys.ED_KID, Optional.of(NOW),
                Optional.of(NOW.plus(Duration.ofHours(1)))));
    }

    @Test
    void validTokenPassesThroughTheGate() throws Exception {
        assertThat(fixture.gate.authenticate(Tokens.rs256(validClaims().build())))
                .isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void fractionalNumericDatesAreAccepted() throws Exception {
        Map<String, Object> claims = validClaimsMap();
        claims.put("exp", NOW.getEpochSecond() + 600.5);
        WorkloadIdentity identity = (WorkloadIdentity) fixture.workload.verify(Tokens.rs256(claims));
        assertThat(identity.expiresAt()).contains(NOW.plusSeconds(600).plusMillis(500));
    }

    @Test
    void recognizesOnlyThreeDotSeparatedParts() {
        assertThat(fixture.workload.recognizes("a.b.c")).isTrue();
        assertThat(fixture.workload.recognizes("a.b.")).isTrue();
        assertThat(fixture.workload.recognizes("a.b")).isFalse();
        assertThat(fixture.workload.recognizes("a.b.c.d")).isFalse();
        assertThat(fixture.workload.recognizes("00000000-0000-0000-0000-000000000000")).isFalse();
    }

    // ---- algorithm ----

    @Test
    void algNoneLowerCaseRejected() {
        String token = Tokens.unsigned("{\"alg\":\"none\",\"kid\":\"rsa-1\"}", json(validClaimsMap()), new byte[0]);
        fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void algNoneTitleCaseRejected() {
        String token = Tokens.unsigned("{\"alg\":\"None\",\"kid\":\"rsa-1\"}", json(validClaimsMap()), new byte[0]);
        fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void algNoneUpperCaseRejected() {
        String token = Tokens.unsigned("{\"alg\":\"NONE\",\"kid\":\"rsa-1\"}", json(validClaimsMap()), new byte[0]);
        fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void algNoneWithAValidRsaSignatureStillRejected() {
        String signed = Tokens.signRs256("{\"alg\":\"none\",\"kid\":\"rsa-1\"}", json(validClaimsMap()));
        fixture.rejectWorkload(signed, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void rfc7515AppendixA5UnsecuredVectorRejected() {
        String vector = "eyJhbGciOiJub25lIn0"
                + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";
        fixture.rejectWorkload(vector, RejectionReason.BAD_ALGORITHM);
        fixture.rejectAtGate(vector, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyBytesRejected() throws JOSEException {
        byte[] publicKeyBytes = TestKeys.RSA.toRSAPublicKey().getEncoded();
        String token = Tokens.signHs256("{\"alg\":\"HS256\",\"kid\":\"rsa-1\",\"typ\":\"JWT\"}",
                json(validClaimsMap()), publicKeyBytes);
        fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void rs256HeaderOverAnHmacOfTheRsaPublicKeyRejected() throws JOSEException {
        // The header tells the truth about the key but the signature is an HMAC keyed with the public key.
        byte[] publicKeyBytes = TestKeys.RSA.toRSAPublicKey().getEncoded();
        String token = Tokens.signHs256(RSA_HEADER, json(validClaimsMap()), publicKeyBytes);
        fixture.rejectWorkload(token, RejectionReason.BAD_SIGNATURE);
    }

    @ParameterizedTest(name = "alg {0} is refused")
    @ValueSource(strings = {"HS256", "HS512", "RS384", "PS256", "ES256", "rs256", "eddsa", "Ed25519", ""})
    void algorithmsOutsideTheAllowListRejected(String alg) {
        String token = Tokens.signRs256("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}", json(validClaimsMap()));
        fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void rsaKidWithEdDsaHeaderRejected() {
        // Signed with the Ed25519 key, so only the header/key binding can stop it.
        String token = Tokens.signEdDsa("{\"alg\":\"EdDSA\",\"kid\":\"rsa-1\"}", json(validClaimsMap()));
        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
        assertThat(e).hasMessage("token algorithm does not match its key");
    }

    @Test
    void edKidWithRs256HeaderRejected() {
        String token = Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":\"ed-1\"}", json(validClaimsMap()));
        fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void rsaKeyShorterThan2048BitsRejected() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        var weak = generator.generateKeyPair();
        fixture.keys.add(new VerificationKey("weak", SigningAlgorithm.RS256, weak.getPublic()));
        String signingInput = b64("{\"alg\":\"RS256\",\"kid\":\"weak\"}") + "." + b64(json(validClaimsMap()));
        var signer = java.security.Signature.getInstance("SHA256withRSA");
        signer.initSign(weak.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String token = signingInput + "." + b64(signer.sign());

        fixture.rejectWorkload(token, RejectionReason.BAD_ALGORITHM);
    }

    // ---- signature ----

    @Test
    void tamperedPayloadRejected() {
        String[] parts = parts(Tokens.rs256(validClaims().build()));
        Map<String, Object> claims = validClaimsMap();
        claims.put("nomad_task", "admin");
        fixture.rejectWorkload(parts[0] + "." + b64(json(claims)) + "." + parts[2], RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void tamperedHeaderRejected() {
        String[] parts = parts(Tokens.rs256(validClaims().build()));
        String header = b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":\"jwt\"}");
        fixture.rejectWorkload(header + "." + parts[1] + "." + parts[2], RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void tamperedEdDsaPayloadRejected() {
        String[] parts = parts(Tokens.eddsa(validClaims().build()));
        Map<String, Object> claims = validClaimsMap();
        claims.put("nomad_namespace", "prod");
        fixture.rejectWorkload(parts[0] + "." + b64(json(claims)) + "." + parts[2], RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void rsaSignatureOfTheWrongLengthRejected() {
        String[] parts = parts(Tokens.rs256(validClaims().build()));
        byte[] signature = Tokens.unb64(parts[2]);
        byte[] shorter = java.util.Arrays.copyOf(signature, signature.length - 1);
        byte[] longer = java.util.Arrays.copyOf(signature, signature.length + 1);
        fixture.rejectWorkload(parts[0] + "." + parts[1] + "." + b64(shorter), RejectionReason.BAD_SIGNATURE);
        fixture.rejectWorkload(parts[0] + "." + parts[1] + "." + b64(longer), RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void edDsaSignatureOfTheWrongLengthRejected() {
        String[] parts = parts(Tokens.eddsa(validClaims().build()));
        byte[] signature = Tokens.unb64(parts[2]);
        assertThat(signature).hasSize(64);
        fixture.rejectWorkload(parts[0] + "." + parts[1] + "." + b64(java.util.Arrays.copyOf(signature, 63)),
                RejectionReason.BAD_SIGNATURE);
        fixture.rejectWorkload(parts[0] + "." + parts[1] + "." + b64(java.util.Arrays.copyOf(signature, 65)),
                RejectionReason.BAD_SIGNATURE);
        fixture.rejectWorkload(parts[0] + "." + parts[1] + ".", RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void allZeroEdDsaSignatureRejected() {
        // The CVE-2022-21449 shape (r = s = 0) carried over to EdDSA: R = 0, S = 0.
        String token = Tokens.unsigned(ED_HEADER, json(validClaimsMap()), new byte[64]);
        fixture.rejectWorkload(token, RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void identityPointEdDsaSignatureRejected() {
        byte[] signature = new byte[64];
        signature[0] = 1; // R = the neutral point (y = 1), S = 0
        fixture.rejectWorkload(Tokens.unsigned(ED_HEADER, json(validClaimsMap()), signature),
                RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void allZeroRsaSignatureRejected() {
        fixture.rejectWorkload(Tokens.unsigned(RSA_HEADER, json(validClaimsMap()), new byte[256]),
                RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void signatureFromAnotherKeyWithTheSameKidRejected() {
        var otherKey = TestKeys.generateEd(TestKeys.ED_KID);
        String signingInput = b64(ED_HEADER) + "." + b64(json(validClaimsMap()));
        try {
            String signature = new com.nimbusds.jose.crypto.Ed25519Signer(otherKey)
                    .sign(new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.EdDSA),
                            signingInput.getBytes(StandardCharsets.US_ASCII)).toString();
            fixture.rejectWorkload(signingInput + "." + signature, RejectionReason.BAD_SIGNATURE);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- time ----

    @Test
    void acceptedOneSecondBeforeExpiry() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.clock.set(NOW.plus(Duration.ofHours(1)).minusSeconds(1));
        assertThat(fixture.workload.verify(token)).isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void acceptedAfterExpiryInsideTheLeeway() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.clock.set(NOW.plus(Duration.ofHours(1)).plus(LEEWAY).minusMillis(1));
        assertThat(fixture.workload.verify(token)).isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void rejectedExactlyAtExpiryPlusLeeway() {
        String token = Tokens.rs256(validClaims().build());
        fixture.clock.set(NOW.plus(Duration.ofHours(1)).plus(LEEWAY));
        fixture.rejectWorkload(token, RejectionReason.BAD_TIME);
    }

    @Test
    void rejectedOneSecondAfterExpiryPlusLeeway() {
        String token = Tokens.rs256(validClaims().build());
        fixture.clock.set(NOW.plus(Duration.ofHours(1)).plus(LEEWAY).plusSeconds(1));
        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.BAD_TIME);
        assertThat(e).hasMessage("token expired");
    }

    @Test
    void nbfInTheFutureBeyondLeewayRejected() {
        String token = Tokens.rs256(validClaims().notBeforeTime(Date.from(NOW.plus(LEEWAY).plusSeconds(1))).build());
        fixture.rejectWorkload(token, RejectionReason.BAD_TIME);
    }

    @Test
    void nbfInTheFutureWithinLeewayAccepted() throws Exception {
        String token = Tokens.rs256(validClaims().notBeforeTime(Date.from(NOW.plus(LEEWAY))).build());
        assertThat(fixture.workload.verify(token)).isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void iatInTheFutureBeyondLeewayRejected() {
        String token = Tokens.rs256(validClaims().issueTime(Date.from(NOW.plus(LEEWAY).plusSeconds(1))).build());
        fixture.rejectWorkload(token, RejectionReason.BAD_TIME);
    }

    @Test
    void iatInTheFutureWithinLeewayAccepted() throws Exception {
        String token = Tokens.rs256(validClaims().issueTime(Date.from(NOW.plus(LEEWAY))).build());
        assertThat(fixture.workload.verify(token)).isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void missingExpRejectedWhenRequired() {
        String token = Tokens.rs256(validClaims().expirationTime(null).build());
        fixture.rejectWorkload(token, RejectionReason.BAD_TIME);
    }

    @Test
    void missingExpAcceptedWhenNotRequired() throws Exception {
        AuthFixture lenient = new AuthFixture(Map.of(TaskApiConfig.IDENTITY_REQUIRE_EXPIRY, "false"));
        WorkloadIdentity identity = (WorkloadIdentity) lenient.workload.verify(
                Tokens.rs256(validClaims().expirationTime(null).build()));
        assertThat(identity.expiresAt()).isEmpty();
    }

    @ParameterizedTest(name = "{0} as a string is malformed")
    @ValueSource(strings = {"exp", "nbf", "iat"})
    void timeClaimsMustBeNumbers(String claim) {
        Map<String, Object> claims = validClaimsMap();
        claims.put(claim, String.valueOf(NOW.getEpochSecond()));
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.MALFORMED);
    }

    @Test
    void hugeExpRejectedAsMalformed() {
        Map<String, Object> claims = validClaimsMap();
        claims.put("exp", new java.math.BigInteger("123456789012345678901234567890"));
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.MALFORMED);
        claims.put("exp", 1e300);
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.MALFORMED);
    }

    // ---- audience ----

    @Test
    void wrongAudienceRejected() {
        String token = Tokens.rs256(validClaims().audience("vault.io").build());
        fixture.rejectWorkload(token, RejectionReason.WRONG_AUDIENCE);
    }

    @Test
    void missingAudienceRejected() {
        String token = Tokens.rs256(validClaims().audience((String) null).build());
        fixture.rejectWorkload(token, RejectionReason.WRONG_AUDIENCE);
    }

    @Test
    void audienceAsNumberRejected() {
        Map<String, Object> claims = validClaimsMap();
        claims.put("aud", 42);
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.WRONG_AUDIENCE);
    }

    @Test
    void emptyAudienceArrayRejected() {
        Map<String, Object> claims = validClaimsMap();
        claims.put("aud", List.of());
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.WRONG_AUDIENCE);
    }

    @Test
    void audienceArrayWithANonStringRejected() {
        Map<String, Object> claims = validClaimsMap();
        claims.put("aud", List.of(AUDIENCE, 7));
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.WRONG_AUDIENCE);
    }

    @Test
    void audienceArrayContainingTheAudienceAccepted() throws Exception {
        String token = Tokens.rs256(validClaims().audience(List.of("vault.io", AUDIENCE)).build());
        WorkloadIdentity identity = (WorkloadIdentity) fixture.workload.verify(token);
        assertThat(identity.audience()).containsExactly("vault.io", AUDIENCE);
    }

    @Test
    void audienceAsASingleStringAccepted() throws Exception {
        Map<String, Object> claims = validClaimsMap();
        claims.put("aud", AUDIENCE);
        WorkloadIdentity identity = (WorkloadIdentity) fixture.workload.verify(Tokens.rs256(claims));
        assertThat(identity.audience()).containsExactly(AUDIENCE);
    }

    @Test
    void audienceComparedCaseSensitively() {
        fixture.rejectWorkload(Tokens.rs256(validClaims().audience("NomadProject.io").build()),
                RejectionReason.WRONG_AUDIENCE);
    }

    // ---- keys ----

    @Test
    void unknownKidRejected() {
        String token = Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":\"retired\"}", json(validClaimsMap()));
        fixture.rejectWorkload(token, RejectionReason.UNKNOWN_KEY);
    }

    @Test
    void missingKidRejected() {
        String token = Tokens.signRs256("{\"alg\":\"RS256\"}", json(validClaimsMap()));
        fixture.rejectWorkload(token, RejectionReason.UNKNOWN_KEY);
        assertThat(fixture.keys.lookups()).isZero();
    }

    @Test
    void emptyOrNonStringKidRejected() {
        fixture.rejectWorkload(Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":\"\"}", json(validClaimsMap())),
                RejectionReason.UNKNOWN_KEY);
        fixture.rejectWorkload(Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":1}", json(validClaimsMap())),
                RejectionReason.UNKNOWN_KEY);
    }

    @Test
    void keyStoreFailingPropagatesStateUnavailable() throws Exception {
        IdentityKeyStore failing = mock(IdentityKeyStore.class);
        when(failing.findKey(any())).thenThrow(new StateUnavailableException("keyring is sealed"));
        WorkloadIdentityVerifier verifier = new WorkloadIdentityVerifier(failing, fixture.allocations,
                fixture.cache, fixture.config, fixture.clock);

        assertThatThrownBy(() -> verifier.verify(Tokens.rs256(validClaims().build())))
                .isInstanceOf(StateUnavailableException.class)
                .hasMessage("keyring is sealed");
    }

    @Test
    void keyStoreThrowingUncheckedBecomesStateUnavailable() throws Exception {
        IdentityKeyStore broken = mock(IdentityKeyStore.class);
        when(broken.findKey(any())).thenThrow(new IllegalStateException("boom"));
        WorkloadIdentityVerifier verifier = new WorkloadIdentityVerifier(broken, fixture.allocations,
                fixture.cache, fixture.config, fixture.clock);

        assertThatThrownBy(() -> verifier.verify(Tokens.rs256(validClaims().build())))
                .isInstanceOf(StateUnavailableException.class);
    }

    // ---- allocation ----

    @Test
    void terminalAllocationRejected() {
        fixture.allocations.end(ALLOC_ID);
        CredentialRejectedException e =
                fixture.rejectWorkload(Tokens.rs256(validClaims().build()), RejectionReason.ALLOCATION_NOT_LIVE);
        assertThat(e).hasMessage("allocation is terminal");
    }

    @Test
    void unknownAllocationRejected() {
        String token = Tokens.rs256(validClaims().claim("nomad_allocation_id", "never-seen").build());
        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.ALLOCATION_NOT_LIVE);
        assertThat(e).hasMessage("allocation does not exist");
    }

    @Test
    void registryFailingPropagatesStateUnavailable() throws Exception {
        AllocationRegistry failing = mock(AllocationRegistry.class);
        when(failing.onAllocationEnded(any())).thenReturn(() -> { });
        when(failing.status(any())).thenThrow(new StateUnavailableException("registry timed out"));
        VerifiedIdentityCache cache = new VerifiedIdentityCache(failing, fixture.config, fixture.clock);
        WorkloadIdentityVerifier verifier = new WorkloadIdentityVerifier(fixture.keys, failing, cache,
                fixture.config, fixture.clock);

        assertThatThrownBy(() -> verifier.verify(Tokens.rs256(validClaims().build())))
                .isInstanceOf(StateUnavailableException.class)
                .hasMessage("registry timed out");
        assertThat(cache.size()).isZero();
    }

    // ---- claims ----

    @ParameterizedTest(name = "missing {0} is refused")
    @ValueSource(strings = {"sub", "nomad_namespace", "nomad_job_id", "nomad_allocation_id", "nomad_task"})
    void eachRequiredClaimMissingRejected(String claim) {
        Map<String, Object> claims = validClaimsMap();
        claims.remove(claim);
        CredentialRejectedException e = fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.MISSING_CLAIM);
        assertThat(e).hasMessage("token has no " + claim + " claim");
    }

    @ParameterizedTest(name = "empty {0} is refused")
    @ValueSource(strings = {"sub", "nomad_namespace", "nomad_job_id", "nomad_allocation_id", "nomad_task"})
    void eachRequiredClaimEmptyRejected(String claim) {
        Map<String, Object> claims = validClaimsMap();
        claims.put(claim, "");
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.MISSING_CLAIM);
    }

    @ParameterizedTest(name = "non-string {0} is refused")
    @ValueSource(strings = {"sub", "nomad_namespace", "nomad_job_id", "nomad_allocation_id", "nomad_task"})
    void eachRequiredClaimOfTheWrongTypeRejected(String claim) {
        Map<String, Object> claims = validClaimsMap();
        claims.put(claim, List.of("x"));
        fixture.rejectWorkload(Tokens.rs256(claims), RejectionReason.MISSING_CLAIM);
    }

    @Test
    void nodeIdentityWithoutWorkloadClaimsRejected() {
        JWTClaimsSet node = new JWTClaimsSet.Builder().subject("node:global:default:abc:default")
                .audience(AUDIENCE).expirationTime(Date.from(NOW.plusSeconds(600)))
                .claim("nomad_node_id", "abc").build();
        fixture.rejectWorkload(Tokens.rs256(node), RejectionReason.MISSING_CLAIM);
    }

    // ---- JSON ----

    @Test
    void duplicateKeyInHeaderRejected() {
        String token = Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"alg\":\"none\"}",
                json(validClaimsMap()));
        fixture.rejectWorkload(token, RejectionReason.MALFORMED);
    }

    @Test
    void duplicateKeyInClaimsRejected() {
        String claims = json(validClaimsMap());
        String duplicated = claims.substring(0, claims.length() - 1) + ",\"nomad_task\":\"admin\"}";
        fixture.rejectWorkload(Tokens.signRs256(RSA_HEADER, duplicated), RejectionReason.MALFORMED);
    }

    @Test
    void duplicateKeyNestedInClaimsRejected() {
        String claims = json(validClaimsMap());
        String duplicated = claims.substring(0, claims.length() - 1) + ",\"extra_claims\":{\"a\":1,\"a\":2}}";
        fixture.rejectWorkload(Tokens.signRs256(RSA_HEADER, duplicated), RejectionReason.MALFORMED);
    }

    @Test
    void deeplyNestedClaimsRejected() {
        String claims = json(validClaimsMap());
        String nested = claims.substring(0, claims.length() - 1) + ",\"extra_claims\":"
                + "[".repeat(1000) + "]".repeat(1000) + "}";
        fixture.rejectWorkload(Tokens.signRs256(RSA_HEADER, nested), RejectionReason.MALFORMED);
    }

    @Test
    void deeplyNestedHeaderRejected() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":" + "{\"a\":".repeat(200) + "1"
                + "}".repeat(200) + "}";
        fixture.rejectWorkload(Tokens.signRs256(header, json(validClaimsMap())), RejectionReason.MALFORMED);
        assertThat(fixture.keys.lookups()).isZero();
    }

    @Test
    void modestlyNestedExtraClaimsAccepted() throws Exception {
        String claims = json(validClaimsMap());
        String nested = claims.substring(0, claims.length() - 1) + ",\"extra_claims\":"
                + "{\"a\":".repeat(10) + "1" + "}".repeat(10) + "}";
        assertThat(fixture.workload.verify(Tokens.signRs256(RSA_HEADER, nested))).isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void claimsThatAreNotAnObjectRejected() {
        fixture.rejectWorkload(Tokens.signRs256(RSA_HEADER, "[1,2]"), RejectionReason.MALFORMED);
        fixture.rejectWorkload(Tokens.signRs256(RSA_HEADER, "\"x\""), RejectionReason.MALFORMED);
        fixture.rejectWorkload(Tokens.signRs256(RSA_HEADER, ""), RejectionReason.MALFORMED);
        fixture.rejectWorkload(Tokens.signRs256(RSA_HEADER, json(validClaimsMap()) + "{}"),
                RejectionReason.MALFORMED);
    }

    // ---- serialization ----

    @Test
    void jsonSerializedJwsRejected() {
        String[] parts = parts(Tokens.rs256(validClaims().build()));
        String general = "{\"payload\":\"" + parts[1] + "\",\"signatures\":[{\"protected\":\"" + parts[0]
                + "\",\"signature\":\"" + parts[2] + "\"}]}";
        String flattened = "{\"payload\":\"" + parts[1] + "\",\"protected\":\"" + parts[0]
                + "\",\"signature\":\"" + parts[2] + "\"}";

        assertThat(fixture.workload.recognizes(general)).isFalse();
        fixture.rejectWorkload(general, RejectionReason.MALFORMED);
        fixture.rejectWorkload(flattened, RejectionReason.MALFORMED);
        fixture.rejectAtGate(flattened, RejectionReason.UNRECOGNIZED);
    }

    @Test
    void fourPartTokenRejected() {
        String token = Tokens.rs256(validClaims().build()) + ".AAAA";
        fixture.rejectWorkload(token, RejectionReason.MALFORMED);
        fixture.rejectAtGate(token, RejectionReason.UNRECOGNIZED);
    }

    @Test
    void fivePartJweShapeRejected() {
        fixture.rejectAtGate("eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIn0.a.b.c.d",
                RejectionReason.UNRECOGNIZED);
    }

    @Test
    void paddingInSignatureRejected() {
        String token = Tokens.rs256(validClaims().build());
        // A 256-byte signature needs two '=' when padded.
        fixture.rejectWorkload(token + "==", RejectionReason.MALFORMED);
    }

    @Test
    void paddingInHeaderRejected() {
        String[] parts = parts(Tokens.rs256(validClaims().build()));
        String padded = java.util.Base64.getUrlEncoder().encodeToString(Tokens.unb64(parts[0]));
        assertThat(padded).endsWith("=");
        fixture.rejectWorkload(padded + "." + parts[1] + "." + parts[2], RejectionReason.MALFORMED);
    }

    @Test
    void standardBase64AlphabetRejected() {
        String[] parts = parts(Tokens.rs256(validClaims().build()));
        String std = parts[2].replace('-', '+').replace('_', '/');
        if (std.equals(parts[2])) {
            std = "+" + parts[2].substring(1);
        }
        fixture.rejectWorkload(parts[0] + "." + parts[1] + "." + std, RejectionReason.MALFORMED);
    }

    @Test
    void nonCanonicalBase64Rejected() {
        String[] parts = parts(Tokens.rs256(validClaims().build()));
        // 256 bytes encode to 342 characters; the last carries 4 unused bits. Setting one still decodes to the same
        // bytes with a lenient decoder, so only a strict decoder tells the two spellings apart.
        String signature = parts[2];
        char last = signature.charAt(signature.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char respelled = alphabet.charAt(alphabet.indexOf(last) | 0x01);
        String token = parts[0] + "." + parts[1] + "." + signature.substring(0, signature.length() - 1) + respelled;
        assertThat(java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)))
                .isEqualTo(Tokens.unb64(signature));
        fixture.rejectWorkload(token, RejectionReason.MALFORMED);
    }

    @Test
    void whitespaceInsideTokenRejected() {
        String token = Tokens.rs256(validClaims().build());
        fixture.rejectWorkload(token.substring(0, 10) + " " + token.substring(10), RejectionReason.MALFORMED);
    }

    @Test
    void overLongTokenRefusedByTheGateBeforeParsing() {
        Map<String, Object> claims = validClaimsMap();
        claims.put("padding", "x".repeat(fixture.config.maxTokenLength()));
        String token = Tokens.rs256(claims);
        CredentialRejectedException e = fixture.rejectAtGate(token, RejectionReason.UNRECOGNIZED);
        assertThat(e).hasMessage("credential too long");
        assertThat(fixture.keys.lookups()).isZero();
    }

    @Test
    void tokenTimesStayConsistentWhenTheClockIsMovedBack() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.clock.set(NOW.minus(LEEWAY).minusSeconds(1));
        fixture.rejectWorkload(token, RejectionReason.BAD_TIME);
        fixture.clock.set(NOW);
        assertThat(fixture.workload.verify(token)).isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void fixedClockIsTheOnlyTimeSource() throws Exception {
        // A token valid now but long expired by the wall clock would show a hidden System.currentTimeMillis call.
        Instant past = Instant.parse("2001-01-01T00:00:00Z");
        fixture.clock.set(past);
        JWTClaimsSet claims = validClaims().issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(300))).build();
        assertThat(fixture.workload.verify(Tokens.rs256(claims))).isInstanceOf(WorkloadIdentity.class);
    }
}
