package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.state.EmbeddedAclTokenStore;
import io.taskapi.plugin.state.EmbeddedDatabase;
import io.taskapi.plugin.state.Keyring;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A keyring the plugin must not use seals the variables, and only them: every variable and secret route answers 503
 * naming the sealed keyring, while ACL, node metadata and agent routes, on the same embedded store, keep working. The
 * keyring file is left as it was, so that its keys can be recovered.
 */
final class VariablesSealedKeyringTest {
    private Path root;
    private Path dataDir;
    private String management;
    private TaskApiExtension api;

    @BeforeEach
    void prepare() throws Exception {
        root = Files.createTempDirectory(Path.of("/tmp"), "taskapi-sealed-");
        dataDir = root.resolve("data");
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "admin",
                AclTokenType.MANAGEMENT, List.of(), Instant.now(), Optional.empty());
        try (EmbeddedDatabase database = EmbeddedDatabase.open(dataDir)) {
            new EmbeddedAclTokenStore(database).put(token);
        }
        management = token.secretId();
        assertThat(Keyring.open(dataDir, Clock.systemUTC()).isSealed()).isFalse();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (api != null) {
            api.close();
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @ParameterizedTest(name = "keyring {0}")
    @ValueSource(strings = {"readable by others (0644)", "unreadable (0000)", "not JSON"})
    void everyVariableRouteIs503AndEverythingElseWorks(String damage) throws Exception {
        Path keyring = dataDir.resolve(Keyring.FILE_NAME);
        if (damage.startsWith("readable")) {
            Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("rw-r--r--"));
        } else if (damage.startsWith("unreadable")) {
            // root reads any file whatever its mode: only an unprivileged agent can be shown this one
            Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "the agent runs as root");
            Files.setPosixFilePermissions(keyring, PosixFilePermissions.fromString("---------"));
        } else {
            Files.writeString(keyring, "{\"version\":1,\"keys\":[");
        }
        byte[] damaged = readAsOwner(keyring);
        api = TaskApiExtension.builder().embeddedStores().config(TaskApiExtension.DATA_DIR_KEY, dataDir.toString())
                .build();
        api.start();
        TestTask task = api.newTask("sealed");
        task.openSocket();

        List<String> variableRoutes = RouteSecurityMatrixTest.boundRoutes().entrySet().stream()
                .filter(route -> route.getValue().path().startsWith("/v1/var")
                        || route.getValue().path().startsWith("/v1/secret/"))
                .map(Map.Entry::getKey).sorted().toList();
        assertThat(variableRoutes).hasSize(9);
        for (String route : variableRoutes) {
            HttpResponse response = call(task, route);
            assertThat(response.status()).as("%s: %s", route, response).isEqualTo(503);
            assertThat(response.json().path("errors").get(0).asText()).as(route)
                    .startsWith("Service unavailable: the variable keyring is sealed: ");
        }

        assertThat(send(task, "GET", "/v1/agent/health", null).status()).isEqualTo(200);
        assertThat(send(task, "GET", "/v1/acl/token/self", null).status()).isEqualTo(200);
        assertThat(send(task, "POST", "/v1/acl/policy/readers",
                "{\"Rules\":\"node { policy = \\\"read\\\" }\"}").status()).isEqualTo(200);
        assertThat(send(task, "GET", "/v1/acl/policies", null).json()).hasSize(1);
        assertThat(send(task, "POST", "/v1/client/metadata", "{\"Meta\":{\"still\":\"works\"}}").status())
                .isEqualTo(200);
        assertThat(send(task, "GET", "/v1/client/metadata", null).json().path("Meta").path("still").asText())
                .isEqualTo("works");
        assertThat(send(task, "GET", "/v1/nodes", null).status()).isEqualTo(200);
        assertThat(readAsOwner(keyring)).as("a sealed keyring is never rewritten").isEqualTo(damaged);
    }

    private static byte[] readAsOwner(Path file) throws Exception {
        var mode = Files.getPosixFilePermissions(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try {
            return Files.readAllBytes(file);
        } finally {
            Files.setPosixFilePermissions(file, mode);
        }
    }

    private HttpResponse call(TestTask task, String route) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replace("*path", "app/x");
        String body = method.equals("PUT") || method.equals("POST")
                ? (path.startsWith("/v1/secret/") ? "{\"value\":\"bar\"}" : "{\"Items\":{\"k\":\"v\"}}")
                : null;
        return send(task, method, path, body);
    }

    private HttpResponse send(TestTask task, String method, String target, String body) throws Exception {
        var request = task.client().request(method, target).token(management);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }
}
