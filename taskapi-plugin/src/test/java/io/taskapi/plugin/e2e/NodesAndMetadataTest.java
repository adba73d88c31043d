package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.InMemoryNodeRegistry;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's example end to end over a task socket: set node metadata, then find the node with a filter. */
final class NodesAndMetadataTest {
    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    private TestTask task;
    private String management;

    @BeforeEach
    void openSocket() throws Exception {
        task = api.newTask("taskapi");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
    }

    @Test
    void theSeedsMetadataIsFoundByTheSeedsFilter() throws Exception {
        HttpResponse set = task.client().request("POST", "/v1/client/metadata").bearer(management)
                .json("{\"Meta\": {\"example\": \"Hello World!\"}}").send();
        HttpResponse found = nodes("Meta.example == \"Hello World!\"");
        HttpResponse notFound = nodes("Meta.example == \"Goodbye\"");

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().path("Dynamic").path("example").asText()).isEqualTo("Hello World!");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json()).hasSize(1);
        assertThat(found.json().get(0).path("ID").asText()).isEqualTo(api.nodes().localNodeId());
        assertThat(notFound.json()).isEmpty();
    }

    @Test
    void nullDeletesADynamicKeyAndHidesAStaticOne() throws Exception {
        String staticKey = InMemoryNodeRegistry.DEFAULT_STATIC_META.keySet().iterator().next();
        post("{\"Meta\":{\"temporary\":\"yes\"}}");

        JsonNode after = post("{\"Meta\":{\"temporary\":null,\"" + staticKey + "\":null}}").json();

        assertThat(after.path("Meta").has("temporary")).isFalse();
        assertThat(after.path("Dynamic").has("temporary")).isFalse();
        assertThat(after.path("Meta").has(staticKey)).isFalse();
        assertThat(after.path("Dynamic").get(staticKey).isNull()).isTrue();
        assertThat(after.path("Static").has(staticKey)).isTrue();
        assertThat(nodes(staticKey + " is empty").status())
                .as("a selector outside the node's fields is an error, as in bexpr")
                .isEqualTo(400);
    }

    @Test
    void invalidMetadataIsRefusedWholeAndChangesNothing() throws Exception {
        HttpResponse bad = post("{\"Meta\":{\"good\":\"yes\",\"bad key\":\"x\",\"\":\"y\",\"n\":1}}");
        HttpResponse empty = task.client().request("POST", "/v1/client/metadata").bearer(management).send();
        HttpResponse notJson = post("{\"Meta\":");
        HttpResponse noMeta = post("{}");
        HttpResponse put = task.client().request("PUT", "/v1/client/metadata").bearer(management).json("{}").send();

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors")).hasSize(3);
        assertThat(bad.body()).contains("\\\"bad key\\\" is invalid").contains("must not be empty")
                .contains("must be a string or null");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(noMeta.json().path("errors").get(0).asText()).isEqualTo("missing required Meta object");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).contains("GET, POST");
        HttpResponse read = task.client().get("/v1/client/metadata").bearer(management).send();
        assertThat(read.json().path("Meta").has("good")).isFalse();
    }

    @Test
    void nodesArePagedWithNextToken() throws Exception {
        for (int i = 0; i < 4; i++) {
            api.nodes().put(InMemoryNodeRegistry.node("extra-" + i));
        }
        List<String> seen = new ArrayList<>();
        String next = "";
        int pages = 0;
        do {
            HttpResponse page = task.client().get("/v1/nodes?per_page=2" + (next.isEmpty() ? ""
                    : "&next_token=" + next)).bearer(management).send();
            assertThat(page.status()).isEqualTo(200);
            page.json().forEach(node -> seen.add(node.path("ID").asText()));
            next = page.header("X-Nomad-NextToken").orElse("");
            pages++;
        } while (!next.isEmpty());

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(5).isSorted().doesNotHaveDuplicates();
        assertThat(api.nodes().nodes().stream().map(NodeInfo::id)).containsExactlyInAnyOrderElementsOf(seen);
    }

    @Test
    void aBadFilterIs400NamingThePosition() throws Exception {
        HttpResponse response = nodes("Meta.example == ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).asText())
                .startsWith("failed to read filter expression: 1:");
    }

    @Test
    void oneNodeByIdAndAnUnknownOne() throws Exception {
        HttpResponse node = task.client().get("/v1/node/" + api.nodes().localNodeId()).bearer(management).send();
        HttpResponse unknown = task.client().get("/v1/node/nope").bearer(management).send();

        assertThat(node.json().path("Name").asText()).isEqualTo(InMemoryNodeRegistry.DEFAULT_NAME);
        assertThat(node.json().path("Attributes").size()).isPositive();
        assertThat(unknown.status()).isEqualTo(404);
    }

    private HttpResponse post(String body) throws Exception {
        return task.client().request("POST", "/v1/client/metadata").bearer(management).json(body).send();
    }

    private HttpResponse nodes(String filter) throws Exception {
        return task.client().get("/v1/nodes?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8))
                .bearer(management).send();
    }
}
