package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code filter.evaluation-timeout} over a task socket: nested {@code any}/{@code all} over a large map multiply (in
 * go-bexpr too), and a filter that runs past the timeout is answered 400 with a message that says so. The timeout
 * here is tiny, so the test is never slow.
 */
final class FilterDeadlineEndToEndTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().config("filter.evaluation-timeout", "1ms").build();

    private TestTask task;
    private String management;

    @BeforeEach
    void openSocket() throws Exception {
        task = api.newTask("filters");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
        ObjectNode meta = MAPPER.createObjectNode();
        for (int i = 0; i < 50; i++) {
            meta.put("key" + i, "value" + i);
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.set("Meta", meta);
        HttpResponse set = task.client().request("POST", "/v1/client/metadata").bearer(management)
                .json(body.toString()).send();
        assertThat(set.status()).isEqualTo(200);
    }

    @Test
    void anExponentialFilterIsStoppedWith400() throws Exception {
        // 50 keys, four levels: over six million comparisons, far past a millisecond anywhere
        HttpResponse response = nodes("any Meta as a { any Meta as b { any Meta as c { any Meta as d {"
                + " a == b and b == c and c == d and d == nothing } } } }");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors")).hasSize(1);
        assertThat(response.json().path("errors").get(0).asText())
                .isEqualTo("filter evaluation exceeded 1ms; simplify the filter");
    }

    @Test
    void anOrdinaryFilterStillAnswers() throws Exception {
        // a few steps: the clock is only read every few hundred, so even this timeout cannot stop it
        HttpResponse response = nodes("Meta.key7 == value7");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).hasSize(1);
    }

    private HttpResponse nodes(String filter) throws Exception {
        return task.client().get("/v1/nodes?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8))
                .bearer(management).send();
    }
}
