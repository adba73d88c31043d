package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.UnixHttpClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request refused before its body is read is answered with {@code Connection: close}: the server drops such a
 * connection, and a keep-alive client that was not told would send its next request into it (seen as "header parser
 * received no bytes" from the JDK's client). A refusal without a body keeps the connection.
 */
final class KeepAliveAfterRefusalTest {
    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    @Test
    void aRefusedRequestWithABodyClosesTheConnectionAndSaysSo() throws Exception {
        TestTask task = api.newTask("t");
        task.openSocket();
        try (UnixHttpClient.Connection connection = UnixHttpClient.forSocket(task.socketPath()).connection()) {
            HttpResponse refused = connection.request("POST", "/v1/client/metadata")
                    .token(UUID.randomUUID().toString()).json("{\"Meta\":{\"k\":\"v\"}}").send();

            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("Connection")).contains("close");
        }
    }

    @Test
    void aRefusedRequestWithoutABodyKeepsTheConnection() throws Exception {
        TestTask task = api.newTask("t");
        task.openSocket();
        String management = api.tokens().createManagementToken("admin").secretId();
        try (UnixHttpClient.Connection connection = UnixHttpClient.forSocket(task.socketPath()).connection()) {
            HttpResponse refused = connection.get("/v1/client/metadata").token(UUID.randomUUID().toString()).send();
            HttpResponse next = connection.get("/v1/client/metadata").token(management).send();

            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("Connection")).isEmpty();
            assertThat(next.status()).isEqualTo(200);
        }
    }
}
