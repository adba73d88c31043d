package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.state.EmbeddedAclTokenStore;
import io.taskapi.plugin.state.EmbeddedDatabase;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.UnixHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
    private Process agent;

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
            agent.toHandle().destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
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
            HttpResponse written = client().request("POST", "/v1/client/metadata").token(management)
                    .json("{\"Meta\":{\"written.k" + i + "\":\"" + i + "\"}}").send();
            assertThat(written.status()).isEqualTo(200);
        }

        if (signal.equals("SIGKILL")) {
            agent.toHandle().destroyForcibly();
        } else {
            agent.toHandle().destroy();
        }
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        startAgent();

        HttpResponse read = client().get("/v1/client/metadata").token(management).send();
        assertThat(read.status()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            assertThat(read.json().path("Meta").path("written.k" + i).asText()).isEqualTo(String.valueOf(i));
        }
    }

    private UnixHttpClient client() throws IOException {
        return UnixHttpClient.forSocket(secretsDir.resolve("api.sock"));
    }

    private void startAgent() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AgentProcess.class.getName(), dataDir.toString(), linkDir.toString(), secretsDir.toString(), nodeId,
                allocationId)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            // the agent's own output before it is ready
        }
        assertThat(line).as("agent started").isEqualTo("ready");
    }
}
