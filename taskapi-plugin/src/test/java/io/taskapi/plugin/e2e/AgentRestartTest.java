package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.state.EmbeddedAclTokenStore;
import io.taskapi.plugin.state.EmbeddedDatabase;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.UnixHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an agent acknowledged is there after it restarts, whether it stopped cleanly or was killed with SIGKILL:
 * a real agent process with the embedded store, written to and read from through its task socket.
 */
final class AgentRestartTest {
    private Path root;
    private Path dataDir;
    private Path linkDir;
    private Path secretsDir;
    private final String nodeId = UUID.randomUUID().toString();
    private final String allocationId = UUID.randomUUID().toString();
    private String management;
    private RunningAgent agent;

    @BeforeEach
    void prepare() throws Exception {
        root = Files.createTempDirectory(Path.of("/tmp"), "taskapi-restart-");
        dataDir = root.resolve("data");
        linkDir = root.resolve("links");
        secretsDir = Files.createDirectories(root.resolve("alloc/secrets"));
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "admin",
                AclTokenType.MANAGEMENT, List.of(), Instant.now(), Optional.empty());
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            new EmbeddedAclTokenStore(database).put(token);
        }
        management = token.secretId();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @ParameterizedTest(name = "stopped with {0}")
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void metadataWrittenBeforeTheAgentStoppedIsThereAfterItRestarts(String signal) throws Exception {
        startAgent();
        for (int i = 0; i < 20; i++) {
            String body = "{\"Meta\":{\"written.k" + i + "\":\"" + i + "\"}}";
            HttpResponse written = agent.diagnose(() -> client().request("POST", "/v1/client/metadata")
                    .token(management).json(body).send());
            assertThat(written.status()).isEqualTo(200);
        }

        if (signal.equals("SIGKILL")) {
            agent.kill();
        } else {
            agent.terminate();
        }
        startAgent();

        HttpResponse read = agent.diagnose(() -> client().get("/v1/client/metadata").token(management).send());
        assertThat(read.status()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            assertThat(read.json().path("Meta").path("written.k" + i).asText()).isEqualTo(String.valueOf(i));
        }
    }

    private UnixHttpClient client() throws IOException {
        return UnixHttpClient.forSocket(secretsDir.resolve("api.sock"));
    }

    private void startAgent() throws IOException {
        agent = RunningAgent.start(dataDir.toString(), linkDir.toString(), secretsDir.toString(), nodeId,
                allocationId);
    }
}
