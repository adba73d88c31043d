package io.taskapi.plugin.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The seed's secrets API: its curl examples, run as written against a task socket, and what a secret is underneath
 * (the encrypted variable {@code secret/<path>}, governed by the variable policies).
 */
final class SecretsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    private TestTask task;
    private String management;

    @BeforeEach
    void openSocket() throws Exception {
        task = api.newTask("secrets");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
    }

    @Test
    void theSeedsCurlExamplesWorkAsWritten() throws Exception {
        // curl -H "X-Nomad-Token: …" -H "Content-Type: application/json" -X POST -d '{"value":"bar"}' \
        //   http://…/v1/secret/baz
        CurlRun write = curl("-H", "X-Nomad-Token: " + management, "-H", "Content-Type: application/json",
                "-X", "POST", "-d", "{\"value\":\"bar\"}", "http://localhost/v1/secret/baz");
        // curl -H "X-Nomad-Token: …" -X GET …/v1/secret/baz
        CurlRun read = curl("-H", "X-Nomad-Token: " + management, "-X", "GET", "http://localhost/v1/secret/baz");
        CurlRun missing = curl("-H", "X-Nomad-Token: " + management, "-X", "GET", "http://localhost/v1/secret/foo");

        assertThat(write.exitCode()).as(write.stderr()).isZero();
        assertThat(write.status()).as(write.body()).isEqualTo(204);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body())).isEqualTo(JSON.readTree("{\"data\":{\"value\":\"bar\"}}"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("errors").get(0).asText()).isEqualTo("secret not found");
    }

    @Test
    void aSecretIsTheEncryptedVariableSecretSlashPath() throws Exception {
        HttpResponse put = send(management, "PUT", "/v1/secret/db/prod", "{\"user\":\"app\",\"password\":\"pw\"}");
        HttpResponse asVariable = send(management, "GET", "/v1/var/secret/db/prod", null);
        HttpResponse listed = send(management, "GET", "/v1/vars?prefix=secret/", null);

        assertThat(put.status()).isEqualTo(204);
        assertThat(asVariable.status()).isEqualTo(200);
        assertThat(asVariable.json().path("Items")).isEqualTo(JSON.readTree("{\"password\":\"pw\",\"user\":\"app\"}"));
        assertThat(listed.json()).hasSize(1);
        assertThat(new String(api.variables().variables().get(0).ciphertext(), UTF_8)).doesNotContain("pw\"");

        send(management, "PUT", "/v1/var/secret/db/prod", "{\"Items\":{\"rotated\":\"yes\"}}");
        assertThat(send(management, "GET", "/v1/secret/db/prod", null).json())
                .as("a write through either API replaces the whole secret")
                .isEqualTo(JSON.readTree("{\"data\":{\"rotated\":\"yes\"}}"));

        assertThat(send(management, "DELETE", "/v1/secret/db/prod", null).status()).isEqualTo(204);
        assertThat(send(management, "GET", "/v1/var/secret/db/prod", null).status()).isEqualTo(404);
        assertThat(send(management, "DELETE", "/v1/secret/db/prod", null).status()).as("deleting nothing")
                .isEqualTo(204);
    }

    @Test
    void valuesMustBeStringsAndNoValueIsEverEchoed() throws Exception {
        HttpResponse numbers = send(management, "POST", "/v1/secret/x",
                "{\"pin\":98765,\"nested\":{\"deep\":\"hidden-value\"},\"ok\":\"fine\"}");
        HttpResponse empty = send(management, "POST", "/v1/secret/x", "{}");
        HttpResponse array = send(management, "POST", "/v1/secret/x", "[\"value\"]");
        HttpResponse none = send(management, "POST", "/v1/secret/x", null);
        HttpResponse badPath = send(management, "POST", "/v1/secret/a.b", "{\"value\":\"bar\"}");
        HttpResponse tooLarge = send(management, "POST", "/v1/secret/x", "{\"v\":\"" + "x".repeat(65536) + "\"}");

        assertThat(numbers.status()).isEqualTo(400);
        assertThat(numbers.json().path("errors")).hasSize(2);
        assertThat(numbers.json().path("errors").get(0).asText()).isEqualTo("value of \"pin\" must be a string");
        assertThat(numbers.body()).doesNotContain("98765").doesNotContain("hidden-value");
        assertThat(empty.json().path("errors").get(0).asText()).isEqualTo("a secret needs at least one key");
        assertThat(array.json().path("errors").get(0).asText()).isEqualTo("Request body must be a JSON object");
        assertThat(none.json().path("errors").get(0).asText()).isEqualTo("Request body is empty");
        assertThat(badPath.json().path("errors").get(0).asText()).isEqualTo("invalid path \"secret/a.b\"");
        assertThat(tooLarge.json().path("errors").get(0).asText())
                .isEqualTo("variables are limited to 64KiB in total size");
        assertThat(api.variables().variables()).isEmpty();
    }

    @Test
    void theVariablePoliciesOnSecretPathsDecide() throws Exception {
        api.policies().createPolicy("secret-reader",
                "namespace \"default\" { variables { path \"secret/app/*\" { capabilities = [\"read\"] } } }");
        String reader = api.tokens().createClientToken("reader", List.of("secret-reader")).secretId();
        send(management, "POST", "/v1/secret/app/key", "{\"value\":\"bar\"}");
        send(management, "POST", "/v1/secret/other", "{\"value\":\"bar\"}");

        assertThat(send(reader, "GET", "/v1/secret/app/key", null).status()).isEqualTo(200);
        assertThat(send(reader, "POST", "/v1/secret/app/key", "{\"value\":\"x\"}").status()).isEqualTo(403);
        assertThat(send(reader, "PUT", "/v1/secret/app/key", "{\"value\":\"x\"}").status()).isEqualTo(403);
        assertThat(send(reader, "DELETE", "/v1/secret/app/key", null).status()).isEqualTo(403);
        assertThat(send(reader, "GET", "/v1/secret/other", null).status()).isEqualTo(403);
        assertThat(send(task.identity(), "GET", "/v1/secret/app/key", null).status())
                .as("a workload identity has no implicit access outside nomad/jobs").isEqualTo(403);
        assertThat(send(management, "GET", "/v1/secret/app/key", null).json().path("data").path("value").asText())
                .isEqualTo("bar");
    }

    @Test
    void secretsLiveInTheRequestsNamespace() throws Exception {
        send(management, "POST", "/v1/secret/k?namespace=prod", "{\"value\":\"prod\"}");

        assertThat(send(management, "GET", "/v1/secret/k", null).status()).isEqualTo(404);
        assertThat(send(management, "GET", "/v1/secret/k?namespace=prod", null).json().path("data").path("value")
                .asText()).isEqualTo("prod");
        assertThat(send(management, "GET", "/v1/secret/k?namespace=*", null).status()).isEqualTo(400);
    }

    private HttpResponse send(String credential, String method, String target, String body) throws Exception {
        var request = task.client().request(method, target).token(credential);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }

    /** Runs the real curl with the seed's arguments, plus only what reaching a Unix socket takes. */
    private CurlRun curl(String... arguments) throws Exception {
        Path socket = task.socketPath();
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}",
                "--unix-socket", socket.getFileName().toString()));
        command.addAll(List.of(arguments));
        // From the socket's directory, so that the socket path is short whatever the temporary root is.
        Process process = new ProcessBuilder(command).directory(socket.getParent().toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("curl finished").isTrue();
        int split = out.lastIndexOf('\n');
        return new CurlRun(process.exitValue(), Integer.parseInt(out.substring(split + 1).trim()),
                out.substring(0, split), err);
    }

    private record CurlRun(int exitCode, int status, String body, String stderr) {}
}
