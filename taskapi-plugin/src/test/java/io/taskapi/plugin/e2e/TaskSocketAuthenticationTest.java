package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.JwsParts;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authentication gate as a workload meets it: the real plugin found through ServiceLoader, a real task socket,
 * requests from the JDK client and from curl.
 */
final class TaskSocketAuthenticationTest {
    @RegisterExtension
    // Every case refuses credentials on purpose, all from one uid on one socket: the failure budget would answer
    // 429 long before the matrix is through.
    static final TaskApiExtension API = TaskApiExtension.builder()
            .config("socket.unauthenticated-rate-limit", "0").build();

    private static TestTask task;
    private static SocketMount mount;

    @BeforeAll
    static void openTaskSocket() throws Exception {
        task = API.newTask("web");
        mount = task.openSocket();
    }

    @Test
    void noTokenIsUnauthorizedWithAJsonError() throws Exception {
        HttpResponse response = task.client().get("/v1/agent/health").send();

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(errors(response.json())).singleElement().asString().startsWith("Unauthorized");
    }

    @Test
    void randomUuidIsForbidden() throws Exception {
        HttpResponse response = task.client().get("/v1/agent/health").token(UUID.randomUUID().toString()).send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(errors(response.json())).singleElement().asString().startsWith("Permission denied");
    }

    @Test
    void anyOtherStringIsForbiddenEvenThoughNomadWithoutAclsWouldLetItThrough() throws Exception {
        HttpResponse response = task.client().get("/v1/agent/health").token("let-me-in").send();

        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void validAclTokenPassesInEveryPlace() throws Exception {
        AclToken token = API.tokens().createClientToken("ops", List.of("readonly"));

        assertThat(task.client().get("/v1/agent/health").token(token.secretId()).send().status()).isEqualTo(200);
        assertThat(task.client().get("/v1/agent/health").bearer(token.secretId()).send().status()).isEqualTo(200);
        assertThat(task.client().get("/v1/agent/health").header("Authorization", "bearer " + token.secretId())
                .send().status()).isEqualTo(200);
        assertThat(task.client().get("/v1/agent/health").header("Cookie", "token=" + token.secretId())
                .send().status()).isEqualTo(200);
    }

    @Test
    void healthAnswersLikeNomad() throws Exception {
        HttpResponse response = task.client().get("/v1/agent/health").bearer(task.identity()).send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("client").path("ok").asBoolean()).isTrue();
        assertThat(response.json().path("client").path("message").asText()).isEqualTo("ok");
    }

    @Test
    void expiredAclTokenIsForbidden() throws Exception {
        AclToken token = API.tokens().createExpiringToken("old", List.of(), Instant.now().minusSeconds(1));

        HttpResponse response = task.client().get("/v1/agent/health").token(token.secretId()).send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).doesNotContain(token.secretId());
    }

    @Test
    void tokenSelfDescribesAnAclToken() throws Exception {
        AclToken token = API.tokens().createClientToken("ops", List.of("readonly"));

        JsonNode self = task.client().get("/v1/acl/token/self").token(token.secretId()).send().json();

        assertThat(self.path("AccessorID").asText()).isEqualTo(token.accessorId());
        assertThat(self.path("Name").asText()).isEqualTo("ops");
        assertThat(self.path("Type").asText()).isEqualTo("client");
        assertThat(self.path("Policies").get(0).asText()).isEqualTo("readonly");
    }

    @Test
    void tokenSelfDescribesAWorkloadIdentityWhereNomadAnswers500() throws Exception {
        HttpResponse response = task.client().get("/v1/acl/token/self").bearer(task.identity()).send();

        assertThat(response.status()).isEqualTo(200);
        JsonNode workload = response.json().path("WorkloadIdentity");
        assertThat(workload.path("AllocationID").asText()).isEqualTo(task.allocationId());
        assertThat(workload.path("Task").asText()).isEqualTo("web");
        assertThat(workload.path("JobID").asText()).isEqualTo(task.ref().jobId());
        assertThat(response.json().path("SecretID").asText()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validIdentities")
    void validWorkloadIdentityPasses(String name, Function<TestTask, String> mint) throws Exception {
        HttpResponse response = task.client().get("/v1/agent/health").bearer(mint.apply(task)).send();

        assertThat(response.status()).isEqualTo(200);
    }

    static Stream<Arguments> validIdentities() {
        return Stream.of(
                Arguments.of("RS256", (Function<TestTask, String>) t ->
                        t.identityBuilder().signedWith(API.issuer().key(SigningAlgorithm.RS256)).sign()),
                Arguments.of("EdDSA", (Function<TestTask, String>) t ->
                        t.identityBuilder().signedWith(API.issuer().key(SigningAlgorithm.EDDSA)).sign()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badIdentities")
    void badWorkloadIdentityIsForbiddenNeverAServerError(String name, Function<TestTask, String> mint)
            throws Exception {
        String token = mint.apply(task);

        HttpResponse response = task.client().get("/v1/agent/health").bearer(token).send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(errors(response.json())).singleElement().asString().startsWith("Permission denied");
        for (String part : token.split("\\.")) {
            if (part.length() > 8) {
                assertThat(response.body()).doesNotContain(part);
            }
        }
    }

    static Stream<Arguments> badIdentities() {
        return Stream.of(
                bad("alg none", t -> t.identityBuilder().unsigned().sign()),
                bad("alg None", t -> t.identityBuilder().alg("None").sign()),
                bad("alg NONE", t -> t.identityBuilder().alg("NONE").sign()),
                bad("HS256 keyed with the RSA public key", TaskSocketAuthenticationTest::hs256WithPublicKey),
                bad("tampered payload", t -> t.identityBuilder().tamperPayload().sign()),
                bad("tampered signature", t -> t.identityBuilder().tamperSignature().sign()),
                bad("expired", t -> t.identityBuilder().issuedAt(Duration.ofHours(-2))
                        .notBefore(Duration.ofHours(-2)).expiresAt(Duration.ofMinutes(-10)).sign()),
                bad("not yet valid", t -> t.identityBuilder().notBefore(Duration.ofMinutes(10)).sign()),
                bad("issued in the future", t -> t.identityBuilder().issuedAt(Duration.ofMinutes(10)).sign()),
                bad("wrong audience", t -> t.identityBuilder().audience("vault.io").sign()),
                bad("no audience", t -> t.identityBuilder().withoutClaim("aud").sign()),
                bad("no expiry", t -> t.identityBuilder().withoutExpiry().sign()),
                bad("unknown kid", t -> t.identityBuilder()
                        .signedWith(API.issuer().addUnpublishedKey(SigningAlgorithm.EDDSA)).sign()),
                bad("no kid", t -> t.identityBuilder().withoutHeader("kid").sign()),
                bad("RSA kid with an EdDSA header", t -> t.identityBuilder()
                        .signedWith(API.issuer().key(SigningAlgorithm.EDDSA))
                        .kid(API.issuer().key(SigningAlgorithm.RS256).keyId()).sign()),
                bad("missing nomad_allocation_id", t -> t.identityBuilder().withoutClaim("nomad_allocation_id").sign()),
                bad("terminal allocation", TaskSocketAuthenticationTest::identityOfATerminalAllocation),
                bad("unknown allocation", t -> t.identityBuilder()
                        .claim("nomad_allocation_id", UUID.randomUUID().toString()).sign()),
                bad("over-long", t -> t.identityBuilder().claim("padding", "x".repeat(8_000)).sign()),
                bad("four parts", t -> t.identity() + ".extra"),
                bad("garbage with dots", t -> "a.b.c"));
    }

    @Test
    void curlGetsTheSameAnswersAsAWorkloadWould() {
        AclToken token = API.tokens().createClientToken("ops", List.of());

        Curl.Result none = Curl.to(mount.hostPath()).send("/v1/agent/health");
        Curl.Result random = Curl.to(mount.hostPath()).header("X-Nomad-Token: " + UUID.randomUUID())
                .send("/v1/agent/health");
        Curl.Result acl = Curl.to(mount.hostPath()).header("X-Nomad-Token: " + token.secretId())
                .send("/v1/agent/health");
        Curl.Result workload = Curl.to(mount.hostPath()).header("Authorization: Bearer " + task.identity())
                .send("/v1/agent/health");
        Curl.Result expired = Curl.to(mount.hostPath()).header("Authorization: Bearer " + task.identityBuilder()
                .issuedAt(Duration.ofHours(-2)).notBefore(Duration.ofHours(-2)).expiresAt(Duration.ofHours(-1))
                .sign()).send("/v1/agent/health");

        assertThat(none.status()).isEqualTo(401);
        assertThat(errors(none.json())).isNotEmpty();
        assertThat(random.status()).isEqualTo(403);
        assertThat(errors(random.json())).isNotEmpty();
        assertThat(acl.status()).isEqualTo(200);
        assertThat(workload.status()).isEqualTo(200);
        assertThat(workload.json().path("client").path("ok").asBoolean()).isTrue();
        assertThat(expired.status()).isEqualTo(403);
        assertThat(errors(expired.json())).isNotEmpty();
    }

    @Test
    void backendThatCannotAnswerIsServiceUnavailableNeverAllowed() throws Exception {
        AclToken token = API.tokens().createClientToken("ops", List.of());
        String identity = task.identityBuilder().jwtId(UUID.randomUUID().toString()).sign();
        API.tokens().faults().setUnavailable(true);
        API.keys().faults().setUnavailable(true);
        try {
            HttpResponse acl = task.client().get("/v1/agent/health").token(token.secretId()).send();
            HttpResponse workload = task.client().get("/v1/agent/health").bearer(identity).send();

            assertThat(acl.status()).isEqualTo(503);
            assertThat(errors(acl.json())).isNotEmpty();
            assertThat(workload.status()).isEqualTo(503);
            assertThat(acl.body() + workload.body()).doesNotContain(token.secretId()).doesNotContain(identity);
        } finally {
            API.tokens().faults().setUnavailable(false);
            API.keys().faults().setUnavailable(false);
        }
    }

    @Test
    void identityStopsWorkingWhenItsAllocationEnds() throws Exception {
        TestTask other = API.newTask("batch");
        other.openSocket();
        String identity = other.identity();
        assertThat(other.client().get("/v1/agent/health").bearer(identity).send().status()).isEqualTo(200);

        other.markTerminal();

        assertThat(other.client().get("/v1/agent/health").bearer(identity).send().status()).isEqualTo(403);
    }

    @Test
    void unknownRouteIsNotFoundAndWrongMethodIsNotAllowedOnlyAfterAuthentication() throws Exception {
        AclToken token = API.tokens().createClientToken("ops", List.of());

        HttpResponse anonymous = task.client().get("/v1/no/such/route").send();
        HttpResponse unknown = task.client().get("/v1/no/such/route").token(token.secretId()).send();
        HttpResponse wrongMethod = task.client().request("DELETE", "/v1/agent/health").token(token.secretId())
                .send();

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(errors(unknown.json())).isNotEmpty();
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).contains("GET");
        assertThat(errors(wrongMethod.json())).isNotEmpty();
    }

    @Test
    void helpIsOnlyForAuthenticatedCallers() throws Exception {
        HttpResponse anonymous = task.client().get("/v1/agent/health?help=1").send();
        HttpResponse authenticated = task.client().get("/v1/agent/health?help=1").bearer(task.identity()).send();

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(authenticated.status()).isEqualTo(200);
        assertThat(authenticated.json().path("help").asText()).contains("healthy");
    }

    @Test
    void headersTooLargeGetTheJsonErrorShape() throws Exception {
        HttpResponse response = task.client().get("/v1/agent/health").header("X-Padding", "p".repeat(40_000))
                .send();

        assertThat(response.status()).isEqualTo(431);
        assertThat(errors(response.json())).isNotEmpty();
    }

    private static Arguments bad(String name, Function<TestTask, String> mint) {
        return Arguments.of(name, mint);
    }

    private static String identityOfATerminalAllocation(TestTask unused) {
        TestTask ended = API.newTask("ended");
        String token = ended.identity();
        ended.markTerminal();
        return token;
    }

    /** The classic key-confusion attack: HS256 with the verifier's RSA public key as the HMAC secret. */
    private static String hs256WithPublicKey(TestTask t) {
        JwsParts valid = t.identityBuilder().signedWith(API.issuer().key(SigningAlgorithm.RS256)).parts();
        String header = JwsParts.encode("{\"alg\":\"HS256\",\"kid\":\""
                + API.issuer().key(SigningAlgorithm.RS256).keyId() + "\",\"typ\":\"JWT\"}");
        String signingInput = header + "." + valid.payload();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(API.issuer().key(SigningAlgorithm.RS256).publicKey().getEncoded(),
                    "HmacSHA256"));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> errors(JsonNode body) {
        assertThat(body.path("errors").isArray()).as("errors array in %s", body).isTrue();
        return Stream.iterate(0, i -> i < body.path("errors").size(), i -> i + 1)
                .map(i -> body.path("errors").get(i).asText()).toList();
    }
}
