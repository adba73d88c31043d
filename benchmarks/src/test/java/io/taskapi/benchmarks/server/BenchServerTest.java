package io.taskapi.benchmarks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.benchmarks.load.LatencyHistogram;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.UnixHttpClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark server accepts the credentials it mints, for exactly the requests the benchmark sends. */
class BenchServerTest {
    @TempDir
    Path dir;

    @Test
    void acceptsTheCredentialsItMints() throws Exception {
        Path socket = dir.resolve("target.sock");
        Path credentials = dir.resolve("credentials");
        BenchOptions options = BenchOptions.parse(new String[] {"--socket", socket.toString(), "--credentials",
                credentials.toString()});

        try (BenchServer server = BenchServer.start(options); UnixHttpClient client = UnixHttpClient.at(socket)) {
            String jwt = Files.readString(credentials.resolve(BenchCredentials.JWT_FILE));
            String acl = Files.readString(credentials.resolve(BenchCredentials.ACL_FILE));
            assertThat(jwt).isEqualTo(server.credentials().jwt());
            assertThat(acl).isEqualTo(server.credentials().aclSecret());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    credentials.resolve(BenchCredentials.JWT_FILE)))).isEqualTo("rw-------");
            assertThat(Files.isSymbolicLink(socket)).isTrue();
            assertThat(client.get("/v1/client/metadata").send().status()).isEqualTo(401);
            HttpResponse withJwt = client.get("/v1/client/metadata").token(jwt).send();
            assertThat(withJwt.status()).isEqualTo(200);
            assertThat(withJwt.json().path("Meta").path("bench.key").asText()).isEqualTo("v");
            assertThat(withJwt.json().path("Static").path("arch").asText()).isEqualTo("amd64");
            assertThat(client.get("/v1/client/metadata").bearer(jwt).send().status()).isEqualTo(200);
            assertThat(client.get("/v1/client/metadata").token(acl).send().status()).isEqualTo(200);
            assertThat(client.get("/v1/client/metadata").token(UUID.randomUUID().toString()).send().status())
                    .isEqualTo(403);
            HttpResponse post = client.request("POST", "/v1/client/metadata").token(jwt)
                    .json("{\"Meta\":{\"bench.key\":\"v\"}}").send();
            assertThat(post.status()).isEqualTo(200);
        }
        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void opensIdleSocketsAndTimesOpeningOneMore() throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"--socket", dir.resolve("s").toString()});
        try (BenchServer server = BenchServer.start(options)) {
            server.openIdleSockets(3);
            assertThat(server.openSockets()).isEqualTo(4);
            LatencyHistogram churn = server.churn(5);
            assertThat(churn.count()).isEqualTo(5);
            assertThat(server.openSockets()).isEqualTo(4);
        }
    }

    @Test
    void servesTheSameRequestsOnThePluginsEmbeddedStore() throws Exception {
        Path socket = dir.resolve("e.sock");
        BenchOptions options = BenchOptions.parse(new String[] {"--socket", socket.toString(), "--state", "embedded"});
        try (BenchServer server = BenchServer.start(options); UnixHttpClient client = UnixHttpClient.at(socket)) {
            String acl = server.credentials().aclSecret();
            assertThat(client.get("/v1/client/metadata").token(server.credentials().jwt()).send().status())
                    .isEqualTo(200);
            assertThat(client.request("POST", "/v1/acl/token").token(acl)
                    .json("{\"Name\":\"w\",\"Type\":\"client\",\"Policies\":[\"bench-workload\"]}").send()
                    .status()).isEqualTo(200);
            assertThat(client.request("PUT", "/v1/var/bench/write").token(acl).json("{\"Items\":{\"k\":\"v\"}}")
                    .send().status()).isEqualTo(200);
        }
    }

    @Test
    void parsesTheStateOptions() {
        BenchOptions etcd = BenchOptions.parse(new String[] {"--socket", "s", "--state", "etcd", "--etcd-endpoints",
                "http://127.0.0.1:1, http://127.0.0.1:2", "--etcd-prefix", "/p", "--node-name", "agent-2"});
        assertThat(etcd.state()).isEqualTo(BenchOptions.StateKind.ETCD);
        assertThat(etcd.etcd().orElseThrow().endpoints()).hasSize(2);
        assertThat(etcd.etcd().orElseThrow().prefix()).isEqualTo("/p");
        assertThat(etcd.etcd().orElseThrow().nodeName()).isEqualTo("agent-2");
        assertThat(BenchOptions.parse(new String[] {"--socket", "s"}).state()).isEqualTo(BenchOptions.StateKind.MEMORY);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--socket", "s", "--state", "etcd"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--socket", "s", "--etcd-endpoints", "http://x:1"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--socket", "s", "--state", "sqlite"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesTheCommandLine() {
        BenchOptions options = BenchOptions.parse(new String[] {"--socket", "s", "--set", "identity.cache-size=0",
                "--metadata", "embedded", "--extra-sockets", "10", "--churn", "5", "--memory-log-gc"});
        assertThat(options.socket().isAbsolute()).isTrue();
        assertThat(options.credentials()).isEmpty();
        assertThat(options.embeddedMetadata()).isTrue();
        assertThat(options.memoryLogGc()).isTrue();
        assertThat(options.extraSockets()).isEqualTo(10);
        assertThat(options.churn()).isEqualTo(5);
        assertThat(options.settings()).containsEntry("identity.cache-size", "0");
        assertThat(BenchServer.settings(Path.of("/l"), Path.of("/d"), options.settings()))
                .containsEntry("socket.rate-limit", "0")
                .containsEntry("identity.cache-size", "0");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--extra-sockets", "1"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--socket", "s", "--churn", "x"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
