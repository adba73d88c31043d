package io.taskapi.plugin.socket;

import static io.taskapi.plugin.socket.SocketFixture.request;
import static io.taskapi.plugin.socket.SocketFixture.secretsDir;
import static io.taskapi.plugin.socket.SocketFixture.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.os.PosixProcess;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector delivers requests to the handler with the task socket and the peer's credentials. */
class UnixSocketConnectorTest {
    private static SocketTestServer server;
    private SocketFixture fixture;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = SocketTestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @BeforeEach
    void createRegistry() {
        fixture = SocketFixture.create(server.connector);
    }

    @AfterEach
    void closeRegistry() throws IOException {
        fixture.close();
    }

    @Test
    void curlRequestKnowsItsTaskAndPeer() throws Exception {
        Path secrets = secretsDir(tmp, "a1/web/secrets");
        SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets));

        Clients.CurlResult result = Clients.curl(tmp, mount.hostPath().toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode json = result.json();
        assertThat(json.get("alloc").asText()).isEqualTo("a1");
        assertThat(json.get("task").asText()).isEqualTo("web");
        assertThat(json.get("hostPath").asText()).isEqualTo(secrets.resolve("api.sock").toString());
        assertThat(json.get("pid").asLong()).isEqualTo(result.pid());
        assertThat(json.get("uid").asInt()).isEqualTo(PosixProcess.effectiveUid());
    }

    @Test
    void jdkChannelRequestKnowsItsTaskAndPeer() throws Exception {
        Path secrets = secretsDir(tmp, "a2/db/secrets");
        SocketMount mount = fixture.registry.openSocket(request(task("a2", "db"), secrets));

        JsonNode json = Clients.jdkGet(mount.hostPath());

        assertThat(json.get("task").asText()).isEqualTo("db");
        assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(json.get("uid").asInt()).isEqualTo(PosixProcess.effectiveUid());
    }

    @Test
    void eachSocketRoutesToItsOwnTask() throws Exception {
        SocketMount one = fixture.registry.openSocket(request(task("b1", "one"), secretsDir(tmp, "one")));
        SocketMount two = fixture.registry.openSocket(request(task("b2", "two"), secretsDir(tmp, "two")));

        for (int i = 0; i < 3; i++) {
            assertThat(Clients.jdkGet(one.hostPath()).get("task").asText()).isEqualTo("one");
            assertThat(Clients.jdkGet(two.hostPath()).get("alloc").asText()).isEqualTo("b2");
        }
    }

    @Test
    void tcpRequestHasNoOrigin() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.tcp.getLocalPort() + "/v1/origin")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(response.body()).get("origin").isNull()).isTrue();
    }

    @Test
    void registeringNeedsARunningConnector() throws Exception {
        Server stopped = new Server();
        UnixSocketConnector connector = new UnixSocketConnector(stopped);
        try (SocketFixture notRunning = SocketFixture.create(connector)) {
            Path secrets = secretsDir(tmp, "c1/secrets");

            assertThatThrownBy(() -> notRunning.registry.openSocket(request(task("c1", "t"), secrets)))
                    .isInstanceOfSatisfying(SocketUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(SocketUnavailableException.Reason.CLOSED));
            assertThat(secrets).isEmptyDirectory();
            assertThat(notRunning.linkDirEntries()).isZero();
        }
    }
}
