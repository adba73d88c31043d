package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.InMemoryNodeRegistry;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every paged list route reads {@code ?per_page=} alike, as Nomad's {@code parsePagination}: empty is no paging,
 * 0 is no paging, a number pages, and what is not a non-negative 32-bit integer is a 400 with a JSON error.
 */
final class ListQueryTest {
    private static final String BAD_PER_PAGE = "Expect a non-negative number for `per_page` query string parameter";

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    private TestTask task;
    private String management;

    @BeforeEach
    void seedTwoOfEach() throws Exception {
        task = api.newTask("lists");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
        api.nodes().put(InMemoryNodeRegistry.node("extra-node"));   // and the local node: two
        for (String path : new String[] {"lists/a", "lists/b"}) {
            HttpResponse written = task.client().request("PUT", "/v1/var/" + path).bearer(management)
                    .json("{\"Items\":{\"k\":\"v\"}}").send();
            assertThat(written.status()).as(written.toString()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/nodes", "/v1/vars"})
    void anEmptyOrZeroPerPageIsNoPaging(String list) throws Exception {
        for (String perPage : new String[] {"", "0"}) {
            HttpResponse response = get(list + "?per_page=" + perPage);

            assertThat(response.status()).as("per_page=%s: %s", perPage, response).isEqualTo(200);
            assertThat(response.json()).as("per_page=%s", perPage).hasSize(2);
            assertThat(response.header("X-Nomad-NextToken")).as("per_page=%s", perPage).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/nodes", "/v1/vars"})
    void aNumberPages(String list) throws Exception {
        HttpResponse response = get(list + "?per_page=1");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json()).hasSize(1);
        assertThat(response.header("X-Nomad-NextToken")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/nodes", "/v1/vars"})
    void nonsenseIsA400WithAJsonError(String list) throws Exception {
        for (String perPage : new String[] {"-1", "abc", "1.5", "%20", "2147483648", "0x10"}) {
            HttpResponse response = get(list + "?per_page=" + perPage);

            assertThat(response.status()).as("per_page=%s: %s", perPage, response).isEqualTo(400);
            assertThat(response.json().path("errors").get(0).asText()).as("per_page=%s", perPage)
                    .isEqualTo(BAD_PER_PAGE);
        }
    }

    private HttpResponse get(String target) throws Exception {
        return task.client().get(target).bearer(management).send();
    }
}
