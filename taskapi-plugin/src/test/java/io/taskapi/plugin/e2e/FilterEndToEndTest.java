package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Regular expressions in {@code ?filter=} over a task socket, with the default settings: answered as go-bexpr
 * answers them (Go's regexp is linear-time), whatever the expression or the size of the value.
 */
final class FilterEndToEndTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .config("http.max-body-bytes", Integer.toString(4 * 1024 * 1024)) // room for a 1.5 M character value
            .build();

    private TestTask task;
    private String management;

    @BeforeEach
    void openSocket() throws Exception {
        task = api.newTask("filters");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
    }

    @Test
    void nestedEmptyLoopsAnswerAtOnceWithGoSAnswer() throws Exception {
        // ~4x slower per level on a backtracking engine (over 10 s here before); no match in Go, so an empty list
        HttpResponse response = nodes("Name matches \"((((((((.*)*)*)*)*)*)*)*)*x\"");
        HttpResponse matching = nodes("Name matches \"((((((((.*)*)*)*)*)*)*)*)*node\"");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().isArray()).isTrue();
        assertThat(response.json()).isEmpty();
        assertThat(matching.status()).isEqualTo(200);
        assertThat(matching.json()).hasSize(1);
    }

    @Test
    void anAlternationLoopMatchesALongValue() throws Exception {
        assertThat(setMeta(Map.of("pattern", "ab".repeat(1000))).status()).isEqualTo(200);

        HttpResponse matching = nodes("Meta.pattern matches \"^(a|b)*$\"");
        HttpResponse notMatching = nodes("Meta.pattern matches \"^(a|b)*c$\"");

        assertThat(matching.status()).isEqualTo(200);
        assertThat(matching.json()).hasSize(1);
        assertThat(matching.json().get(0).path("ID").asText()).isEqualTo(api.nodes().localNodeId());
        assertThat(notMatching.status()).isEqualTo(200);
        assertThat(notMatching.json()).isEmpty();
    }

    @Test
    void aValueOfMoreThanAMillionCharactersIsMatched() throws Exception {
        String huge = "x".repeat(1_500_000) + "needle";
        assertThat(setMeta(Map.of("huge", huge)).status()).isEqualTo(200);

        HttpResponse matching = nodes("Meta.huge matches \"needle$\"");
        HttpResponse notMatching = nodes("Meta.huge matches \"^needle\"");

        assertThat(matching.status()).isEqualTo(200);
        assertThat(matching.json()).hasSize(1);
        assertThat(notMatching.status()).isEqualTo(200);
        assertThat(notMatching.json()).isEmpty();
    }

    @Test
    void aBadRegularExpressionIsGoSErrorWhenAValueIsTestedAgainstIt() throws Exception {
        HttpResponse response = nodes("Name matches \"(x{100}){11}\"");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).asText()).isEqualTo("failed to read result page:"
                + " failed to compile regular expression \"(x{100}){11}\":"
                + " error parsing regexp: invalid repeat count: `{11}`");

        // as go-bexpr: a key no node has is false before the expression is compiled
        HttpResponse missing = nodes("Meta.nobody_has_this matches \"(x{100}){11}\"");
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.json()).isEmpty();
    }

    @Test
    void aFilterOfOnlyWhitespaceIsA400AsInNomad() throws Exception {
        HttpResponse response = nodes("   ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).asText()).startsWith("failed to read filter expression: ");
    }

    private HttpResponse setMeta(Map<String, String> meta) throws Exception {
        ObjectNode body = MAPPER.createObjectNode();
        body.set("Meta", MAPPER.valueToTree(meta));
        return task.client().request("POST", "/v1/client/metadata").bearer(management).json(body.toString()).send();
    }

    private HttpResponse nodes(String filter) throws Exception {
        return task.client().get("/v1/nodes?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8))
                .bearer(management).send();
    }
}
