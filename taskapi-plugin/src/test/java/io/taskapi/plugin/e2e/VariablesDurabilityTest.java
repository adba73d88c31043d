package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.state.EmbeddedAclTokenStore;
import io.taskapi.plugin.state.EmbeddedDatabase;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.UnixHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Variables with the embedded store: encrypted in {@code state.db} (no plaintext in any file of the data directory,
 * whatever SQLite has checkpointed), and there after the plugin restarts on the same data directory, cleanly or
 * after SIGKILL.
 */
final class VariablesDurabilityTest {
    private static final String SECRET = "plaintext-" + UUID.randomUUID();
    private static final String SECRET_KEY = "api_key_" + UUID.randomUUID().toString().substring(0, 8);

    private Path root;
    private Path dataDir;
    private String management;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeEach
    void seedAManagementToken() throws Exception {
        root = Files.createTempDirectory(Path.of("/tmp"), "taskapi-vars-");
        dataDir = root.resolve("data");
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "admin",
                AclTokenType.MANAGEMENT, List.of(), Instant.now(), Optional.empty());
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            new EmbeddedAclTokenStore(database).put(token);
        }
        management = token.secretId();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void encryptedAtRestAndThereAfterARestart() throws Exception {
        TaskApiExtension first = start();
        TestTask task = first.newTask("writer");
        task.openSocket();
        HttpResponse written = send(task.client(), "PUT", "/v1/var/app/at-rest",
                "{\"Items\":{\"" + SECRET_KEY + "\":\"" + SECRET + "\"}}");
        HttpResponse secret = send(task.client(), "POST", "/v1/secret/at-rest", "{\"value\":\"" + SECRET + "\"}");
        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        assertThat(secret.status()).isEqualTo(204);

        assertNoPlaintextIn(dataDir, "while running");
        first.close();
        assertNoPlaintextIn(dataDir, "after a clean stop (WAL checkpointed)");
        assertThat(storedRows()).as("the rows are there, only encrypted").containsExactlyInAnyOrder(
                "default/app/at-rest", "default/secret/at-rest");

        TaskApiExtension second = start();
        TestTask again = second.newTask("reader");
        again.openSocket();
        HttpResponse read = send(again.client(), "GET", "/v1/var/app/at-rest", null);
        HttpResponse readSecret = send(again.client(), "GET", "/v1/secret/at-rest", null);
        HttpResponse next = send(again.client(), "PUT", "/v1/var/app/later", "{\"Items\":{\"k\":\"v\"}}");

        assertThat(read.status()).isEqualTo(200);
        JsonNode before = written.json();
        assertThat(read.json()).as("items, indexes and times all survive").isEqualTo(before);
        assertThat(readSecret.json().path("data").path("value").asText()).isEqualTo(SECRET);
        assertThat(next.json().path("ModifyIndex").asLong()).as("the index keeps growing across restarts")
                .isGreaterThan(before.path("ModifyIndex").asLong());
        assertThat(send(again.client(), "PUT", "/v1/var/app/at-rest?cas=" + before.path("ModifyIndex").asLong(),
                "{\"Items\":{\"k\":\"v\"}}").status()).as("check-and-set against the index from before").isEqualTo(200);
    }

    @Test
    void anAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path linkDir = root.resolve("links");
        Path secretsDir = Files.createDirectories(root.resolve("alloc/secrets"));
        String[] agent = {dataDir.toString(), linkDir.toString(), secretsDir.toString(), UUID.randomUUID().toString(),
            UUID.randomUUID().toString()};
        List<Long> indexes = new ArrayList<>();

        RunningAgent process = RunningAgent.start(agent);
        running.add(process);
        try (UnixHttpClient client = UnixHttpClient.forSocket(secretsDir.resolve("api.sock"))) {
            for (int i = 0; i < 10; i++) {
                String path = "/v1/var/crash/k" + i;
                String body = "{\"Items\":{\"i\":\"" + i + "\"}}";
                HttpResponse written = process.diagnose(() -> send(client, "PUT", path, body));
                assertThat(written.status()).isEqualTo(200);
                indexes.add(written.json().path("ModifyIndex").asLong());
            }
        }
        process.kill();

        RunningAgent restarted = RunningAgent.start(agent);
        running.add(restarted);
        try (UnixHttpClient client = UnixHttpClient.forSocket(secretsDir.resolve("api.sock"))) {
            for (int i = 0; i < 10; i++) {
                String path = "/v1/var/crash/k" + i;
                JsonNode read = restarted.diagnose(() -> send(client, "GET", path, null)).json();
                assertThat(read.path("Items").path("i").asText()).isEqualTo(String.valueOf(i));
                assertThat(read.path("ModifyIndex").asLong()).isEqualTo(indexes.get(i));
            }
        }
    }

    private TaskApiExtension start() {
        TaskApiExtension extension = TaskApiExtension.builder().embeddedStores()
                .config(TaskApiExtension.DATA_DIR_KEY, dataDir.toString()).build();
        extension.start();
        running.add(extension);
        return extension;
    }

    /** Every byte of every file: the database, its WAL and shared memory, the keyring. */
    private static void assertNoPlaintextIn(Path dir, String when) throws Exception {
        List<String> files = new ArrayList<>();
        try (var paths = Files.list(dir)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.add(file.getFileName().toString());
                String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(bytes).as("%s: %s", when, file.getFileName()).doesNotContain(SECRET)
                        .doesNotContain(SECRET_KEY);
            }
        }
        assertThat(files).as(when).contains("state.db", "keyring.json");
    }

    private List<String> storedRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("state.db"));
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT namespace, path, ciphertext FROM variables")) {
            while (result.next()) {
                rows.add(result.getString(1) + "/" + result.getString(2));
                assertThat(new String(result.getBytes(3), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain(SECRET);
            }
        }
        return rows;
    }

    private HttpResponse send(UnixHttpClient client, String method, String target, String body) throws IOException {
        var request = client.request(method, target).token(management);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }
}
