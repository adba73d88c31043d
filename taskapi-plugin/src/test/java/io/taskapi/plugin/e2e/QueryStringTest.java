package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A query string that cannot be decoded is the caller's error: a JSON 400, never a 500. */
final class QueryStringTest {
    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    @Test
    void aQueryThatIsNotValidPercentEncodingIsA400() throws Exception {
        TestTask task = api.newTask("query");
        task.openSocket();
        String management = api.tokens().createManagementToken("admin").secretId();

        // Raw bytes: an HTTP client (Jetty's) refuses to send a query it cannot decode itself.
        HttpResponse malformed = task.client().exchangeRaw(("GET /v1/client/metadata?node_id=%zz HTTP/1.1\r\n"
                + "Host: localhost\r\nX-Nomad-Token: " + management + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        HttpResponse fine = task.client().get("/v1/client/metadata?node_id=").token(management).send();

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("errors").get(0).asText()).startsWith("Malformed query string");
        assertThat(fine.status()).isEqualTo(200);
    }
}
