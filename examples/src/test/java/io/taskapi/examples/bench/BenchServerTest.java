package io.taskapi.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.spi.TaskRef;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.Jwks;
import io.taskapi.testing.SigningKey;
import io.taskapi.testing.TestingIdentityIssuer;
import io.taskapi.testing.UnixHttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark server answers run-refs.sh's checks, and its helpers read what goref writes. */
class BenchServerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TaskRef TASK = new TaskRef(UUID.randomUUID().toString(), "default", "example", "web", "web");

    @TempDir
    Path dir;

    @Test
    void servesTheChecksOfRunRefs() throws Exception {
        TestingIdentityIssuer issuer = TestingIdentityIssuer.create();
        SigningKey key = issuer.ed25519Key();
        Path jwks = Files.writeString(dir.resolve("jwks.json"), Jwks.jwksJson(List.of(key.verificationKey())));
        String jwt = issuer.token(TASK).signedWith(key).sign();
        String acl = UUID.randomUUID().toString();
        Path socket = dir.resolve("target.sock");
        BenchOptions options = BenchOptions.parse(new String[] {"--socket", socket.toString(), "--jwks",
                jwks.toString(), "--acl", acl, "--extra-sockets", "3"}, Map.of(BenchOptions.JWT_ENV, jwt));

        try (BenchServer server = BenchServer.start(options); UnixHttpClient client = UnixHttpClient.at(socket)) {
            assertThat(Files.isSymbolicLink(socket)).isTrue();
            assertThat(server.openSockets()).isEqualTo(4);
            assertThat(client.get("/v1/client/metadata").send().status()).isEqualTo(401);
            HttpResponse withJwt = client.get("/v1/client/metadata").token(jwt).send();
            assertThat(withJwt.status()).isEqualTo(200);
            assertThat(withJwt.json().path("Meta").path("bench.key").asText()).isEqualTo("v");
            assertThat(withJwt.json().path("Static").path("arch").asText()).isEqualTo("amd64");
            assertThat(client.get("/v1/client/metadata").bearer(jwt).send().status()).isEqualTo(200);
            assertThat(client.get("/v1/client/metadata").token(acl).send().status()).isEqualTo(200);
            assertThat(client.get("/v1/client/metadata").token(UUID.randomUUID().toString()).send().status())
                    .isEqualTo(403);
            String expired = issuer.token(TASK).signedWith(key).expiresAt(Duration.ofHours(-1)).sign();
            assertThat(client.get("/v1/client/metadata").token(expired).send().status()).isEqualTo(403);
            String wrongAudience = issuer.token(TASK).signedWith(key).audience("vault.io").sign();
            assertThat(client.get("/v1/client/metadata").token(wrongAudience).send().status()).isEqualTo(403);
            HttpResponse post = client.request("POST", "/v1/client/metadata").token(jwt)
                    .json("{\"Meta\":{\"bench.key\":\"v\"}}").send();
            assertThat(post.status()).isEqualTo(200);
        }
        assertThat(Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void readsEd25519KeysAndSkipsOthers() throws Exception {
        SigningKey ed = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKey rsa = SigningKey.generate(SigningAlgorithm.RS256);
        List<VerificationKey> keys = Ed25519Jwks.parse(
                Jwks.jwksJson(List.of(rsa.verificationKey(), ed.verificationKey())), MAPPER);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).keyId()).isEqualTo(ed.keyId());
        assertThat(keys.get(0).algorithm()).isEqualTo(SigningAlgorithm.EDDSA);
        assertThat(keys.get(0).publicKey().getEncoded()).isEqualTo(ed.publicKey().getEncoded());
        assertThatThrownBy(() -> Ed25519Jwks.parse(Jwks.jwksJson(List.of(rsa.verificationKey())), MAPPER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesTheNomadClaimsWithoutVerifying() {
        String jwt = TestingIdentityIssuer.create().mint(TASK);
        assertThat(UnverifiedClaims.of(jwt, MAPPER))
                .isEqualTo(new UnverifiedClaims("default", "example", TASK.allocationId(), "web",
                        Optional.of("web")));
        assertThatThrownBy(() -> UnverifiedClaims.of("not-a-jwt", MAPPER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesTheCommandLine() {
        String acl = UUID.randomUUID().toString();
        BenchOptions options = BenchOptions.parse(new String[] {"--socket", "/tmp/s", "--jwks", "j", "--acl", acl,
                "--jwt", "a.b.c", "--set", "identity.cache-size=0", "--metadata", "embedded"}, Map.of());
        assertThat(options.jwt()).isEqualTo(Optional.of("a.b.c"));
        assertThat(options.embeddedMetadata()).isTrue();
        assertThat(options.settings()).containsEntry("identity.cache-size", "0");
        assertThat(options.toString()).doesNotContain(acl).doesNotContain("a.b.c");
        assertThat(BenchServer.settings(Path.of("/l"), Path.of("/d"), options.settings()))
                .containsEntry("socket.rate-limit", "0")
                .containsEntry("identity.cache-size", "0");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--socket", "/tmp/s"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--socket", "/s", "--jwks", "j", "--acl", "x"},
                Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
