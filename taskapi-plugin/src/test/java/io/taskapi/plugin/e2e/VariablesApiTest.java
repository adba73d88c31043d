package io.taskapi.plugin.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nomad's variables API over a real task socket with a management token: the round trip, check-and-set, validation,
 * listing and paging, as Nomad's CLI and Go client use them.
 */
final class VariablesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-value-that-must-not-leak";

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    private TestTask task;
    private String management;

    @BeforeEach
    void openSocket() throws Exception {
        task = api.newTask("vars");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
    }

    @Test
    void writeReadListDelete() throws Exception {
        long before = System.currentTimeMillis() * 1_000_000L;
        HttpResponse written = send("PUT", "/v1/var/app/db", "{\"Items\":{\"password\":\"" + SECRET
                + "\",\"user\":\"app\"}}");
        HttpResponse read = send("GET", "/v1/var/app/db", null);
        HttpResponse listed = send("GET", "/v1/vars", null);

        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        JsonNode variable = written.json();
        assertThat(variable.path("Namespace").asText()).isEqualTo("default");
        assertThat(variable.path("Path").asText()).isEqualTo("app/db");
        assertThat(variable.path("Items").path("password").asText()).isEqualTo(SECRET);
        assertThat(variable.path("CreateTime").asLong()).as("nanoseconds since the epoch")
                .isGreaterThanOrEqualTo(before)
                .isLessThan(before + 60_000_000_000L);
        assertThat(variable.path("ModifyIndex").asLong()).isPositive().isEqualTo(variable.path("CreateIndex").asLong());
        assertThat(written.header("X-Nomad-Index").map(Long::parseLong)).as("the write's index")
                .hasValueSatisfying(index -> assertThat(index).isGreaterThanOrEqualTo(
                        variable.path("ModifyIndex").asLong()));
        List<String> fields = new ArrayList<>();
        variable.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("Namespace", "Path", "CreateIndex", "CreateTime", "ModifyIndex",
                "ModifyTime", "Items");

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(variable);
        // what Nomad's Go client needs on every query answer, or `nomad var get` fails
        assertThat(read.header("X-Nomad-Index")).isEqualTo(written.header("X-Nomad-Index"));
        assertThat(read.header("X-Nomad-LastContact")).contains("0");
        assertThat(read.header("X-Nomad-KnownLeader")).contains("true");

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json()).hasSize(1);
        JsonNode metadata = listed.json().get(0);
        assertThat(metadata.has("Items")).isFalse();
        assertThat(metadata.path("ModifyTime").asLong()).isEqualTo(variable.path("ModifyTime").asLong());
        assertThat(listed.body()).doesNotContain(SECRET);
        assertThat(listed.header("X-Nomad-Index")).isPresent();

        HttpResponse deleted = send("DELETE", "/v1/var/app/db", null);
        HttpResponse gone = send("GET", "/v1/var/app/db", null);
        HttpResponse empty = send("GET", "/v1/vars", null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("errors").get(0).asText()).isEqualTo("variable not found");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).as("never null").isEqualTo("[]");
        assertThat(send("DELETE", "/v1/var/app/db", null).status()).as("deleting nothing").isEqualTo(204);
    }

    @Test
    void postWritesLikePutAndAnUpdateKeepsTheCreateIndex() throws Exception {
        JsonNode first = send("POST", "/v1/var/app/x", "{\"Items\":{\"k\":\"1\"}}").json();
        JsonNode second = send("PUT", "/v1/var/app/x", "{\"Items\":{\"other\":\"2\"}}").json();

        assertThat(second.path("CreateIndex").asLong()).isEqualTo(first.path("CreateIndex").asLong());
        assertThat(second.path("ModifyIndex").asLong()).isGreaterThan(first.path("ModifyIndex").asLong());
        assertThat(send("GET", "/v1/var/app/x", null).json().path("Items"))
                .as("a write replaces the items").isEqualTo(JSON.readTree("{\"other\":\"2\"}"));
    }

    @Test
    void whatNomadsGoClientSendsIsAccepted() throws Exception {
        // api.Variable, as json.Marshal writes it (Lock is omitempty in newer clients, null in older ones)
        HttpResponse written = send("PUT", "/v1/var/app/go?namespace=default", "{\"Namespace\":\"default\","
                + "\"Path\":\"app/go\",\"CreateIndex\":0,\"ModifyIndex\":0,\"CreateTime\":0,\"ModifyTime\":0,"
                + "\"Items\":{\"k\":\"v\"},\"Lock\":null}");
        HttpResponse empty = send("PUT", "/v1/var/app/go2",
                "{\"Namespace\":\"\",\"Path\":\"\",\"Items\":{\"k\":\"v\"}}");

        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
    }

    /** Nomad's check-and-set, step by step; each row is one request on the state the previous rows left. */
    @Test
    void checkAndSetMatrix() throws Exception {
        String body = "{\"Items\":{\"k\":\"v\"}}";
        assertThat(send("PUT", "/v1/var/cas?cas=5", body).status()).as("cas=N, absent").isEqualTo(409);
        HttpResponse created = send("PUT", "/v1/var/cas?cas=0", body);
        assertThat(created.status()).as("cas=0, absent").isEqualTo(200);
        long index = created.json().path("ModifyIndex").asLong();

        HttpResponse again = send("PUT", "/v1/var/cas?cas=0", body);
        assertThat(again.status()).as("cas=0, present").isEqualTo(409);
        assertThat(again.json().path("errors").get(0).asText())
                .isEqualTo("cas conflict: expected ModifyIndex 0; found " + index);
        assertThat(again.json().path("Path").asText()).as("the conflicting variable, as Nomad sends it").isEqualTo("cas");
        assertThat(again.json().path("ModifyIndex").asLong()).isEqualTo(index);
        assertThat(again.json().has("Items")).as("redacted, as Nomad's conflict is").isFalse();
        HttpResponse stale = send("PUT", "/v1/var/cas?cas=" + (index + 100), body);
        assertThat(stale.status()).as("cas=N, stale").isEqualTo(409);
        assertThat(stale.json().path("errors").get(0).asText())
                .isEqualTo("cas conflict: expected ModifyIndex " + (index + 100) + "; found " + index);
        assertThat(send("PUT", "/v1/var/cas?cas=abc", body).json().path("errors").get(0).asText())
                .isEqualTo("can not parse cas: \"abc\" is not an unsigned integer");
        assertThat(send("PUT", "/v1/var/cas?cas=-1", body).status()).isEqualTo(400);

        HttpResponse updated = send("PUT", "/v1/var/cas?cas=" + index, body);
        assertThat(updated.status()).as("cas=N, current").isEqualTo(200);
        long next = updated.json().path("ModifyIndex").asLong();
        assertThat(next).isGreaterThan(index);
        assertThat(send("PUT", "/v1/var/cas?cas=" + index, body).status()).as("the old index again").isEqualTo(409);
        assertThat(send("PUT", "/v1/var/cas?cas=", body).status()).as("empty cas is no cas").isEqualTo(200);
        next = send("GET", "/v1/var/cas", null).json().path("ModifyIndex").asLong();

        assertThat(send("DELETE", "/v1/var/cas?cas=0", null).status()).as("delete cas=0, present").isEqualTo(409);
        assertThat(send("DELETE", "/v1/var/cas?cas=" + (next + 1), null).status()).as("delete stale").isEqualTo(409);
        assertThat(send("GET", "/v1/var/cas", null).status()).as("a refused delete deletes nothing").isEqualTo(200);
        assertThat(send("DELETE", "/v1/var/cas?cas=" + next, null).status()).as("delete current").isEqualTo(204);
        assertThat(send("GET", "/v1/var/cas", null).status()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/var/cas?cas=0", null).status()).as("delete cas=0, absent").isEqualTo(204);
        assertThat(send("DELETE", "/v1/var/cas?cas=3", null).status()).as("delete cas=N, absent").isEqualTo(409);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "PUT|/v1/var/a.b|{\"Items\":{\"k\":\"v\"}}|invalid path \"a.b\"",
        "GET|/v1/var/a.b||invalid path \"a.b\"",
        "PUT|/v1/var/nomad|{\"Items\":{\"k\":\"v\"}}|\"nomad\" is a reserved top-level directory path",
        "PUT|/v1/var/nomad/secrets|{\"Items\":{\"k\":\"v\"}}|only paths at \"nomad/jobs\"",
        "PUT|/v1/var/nomad/job-templates/a/b|{\"Items\":{\"k\":\"v\"}}|\"nomad/job-templates\" is a reserved",
        "PUT|/v1/var/a?namespace=*|{\"Items\":{\"k\":\"v\"}}|can not target wildcard (\"*\")namespace",
        "DELETE|/v1/var/a?namespace=*||can not target wildcard (\"*\")namespace",
        "PUT|/v1/var/a?namespace=a.b|{\"Items\":{\"k\":\"v\"}}|invalid namespace \"a.b\"",
        "PUT|/v1/var/a|{\"Items\":{}}|variable missing required Items object",
        "PUT|/v1/var/a|{\"Items\":null}|variable missing required Items object",
        "PUT|/v1/var/a|{}|variable missing required Items object",
        "PUT|/v1/var/a|{\"Items\":[\"k\"]}|Items must be an object",
        "PUT|/v1/var/a|{\"Items\":{\"n\":1,\"ok\":\"v\"}}|Items: value of \"n\" must be a string",
        "PUT|/v1/var/a|{\"Itmes\":{\"k\":\"v\"}}|unknown field \"Itmes\"",
        "PUT|/v1/var/a|{\"Namespace\":\"prod\",\"Items\":{\"k\":\"v\"}}|Namespace \"prod\" differs from the request's",
        "PUT|/v1/var/a|{\"Path\":\"b\",\"Items\":{\"k\":\"v\"}}|Path \"b\" differs from the path in the URL \"a\"",
        "PUT|/v1/var/a?lock-acquire|{\"Items\":{\"k\":\"v\"}}|variable locks are not supported",
        "PUT|/v1/var/a?lock-release|{\"Items\":{\"k\":\"v\"}}|variable locks are not supported",
        "DELETE|/v1/var/a?lock-renew||variable locks are not supported",
        "PUT|/v1/var/a|{\"Items\":{\"k\":\"v\"},\"Lock\":{\"TTL\":\"15s\"}}|variable locks are not supported",
        "PUT|/v1/var/a||Request body is empty",
        "GET|/v1/vars?namespace=a.b||invalid namespace \"a.b\"",
        "GET|/v1/vars?per_page=-1||Expect a non-negative number for `per_page`",
        "GET|/v1/vars?filter=Path%20%3D%3D||failed to read filter expression: 1:",
    })
    void badRequestsAre400WithNomadsMessage(String method, String target, String body, String message)
            throws Exception {
        HttpResponse response = send(method, target, body);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).asText()).startsWith(message);
        assertThat(api.variables().variables()).as("nothing was written").isEmpty();
    }

    @Test
    void paths128CharactersLongAreTheLimit() throws Exception {
        String longest = "p".repeat(128);

        assertThat(send("PUT", "/v1/var/" + longest, "{\"Items\":{\"k\":\"v\"}}").status()).isEqualTo(200);
        assertThat(send("PUT", "/v1/var/" + longest + "q", "{\"Items\":{\"k\":\"v\"}}").status()).isEqualTo(400);
    }

    @Test
    void itemsMayHold64KiBInAllAndNotOneByteMore() throws Exception {
        // Nomad counts every key and value: "k" plus the value
        HttpResponse atLimit = send("PUT", "/v1/var/big", items("k", 65535));
        HttpResponse over = send("PUT", "/v1/var/bigger", items("k", 65536));
        HttpResponse overInTwo = send("PUT", "/v1/var/bigger", "{\"Items\":{\"a\":\"" + "x".repeat(32767)
                + "\",\"b\":\"" + "y".repeat(32768) + "\"}}");

        assertThat(atLimit.status()).as(atLimit.toString()).isEqualTo(200);
        assertThat(send("GET", "/v1/var/big", null).json().path("Items").path("k").asText()).hasSize(65535);
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().path("errors").get(0).asText())
                .isEqualTo("variables are limited to 64KiB in total size");
        assertThat(overInTwo.status()).isEqualTo(400);
        assertThat(send("GET", "/v1/var/bigger", null).status()).isEqualTo(404);
    }

    @Test
    void theStoreGetsCiphertextOnly() throws Exception {
        send("PUT", "/v1/var/app/enc", "{\"Items\":{\"api_key\":\"" + SECRET + "\"}}");

        StoredVariable stored = api.variables().variables().get(0);
        assertThat(stored.path()).isEqualTo("app/enc");
        String ciphertext = new String(stored.ciphertext(), UTF_8);
        assertThat(ciphertext).doesNotContain(SECRET).doesNotContain("api_key");
        assertThat(stored.ciphertext().length).isGreaterThan(SECRET.length());
    }

    @Test
    void namespacesAreSeparateAndStarListsThemAll() throws Exception {
        send("PUT", "/v1/var/shared?namespace=prod", "{\"Items\":{\"k\":\"prod\"}}");
        send("PUT", "/v1/var/shared", "{\"Items\":{\"k\":\"default\"}}");

        assertThat(send("GET", "/v1/var/shared?namespace=prod", null).json().path("Items").path("k").asText())
                .isEqualTo("prod");
        assertThat(send("GET", "/v1/var/shared", null).json().path("Items").path("k").asText()).isEqualTo("default");
        assertThat(paths("/v1/vars?namespace=prod")).containsExactly("prod/shared");
        assertThat(paths("/v1/vars")).containsExactly("default/shared");
        assertThat(paths("/v1/vars?namespace=*")).containsExactly("default/shared", "prod/shared");
    }

    @Test
    void prefixAndFilterNarrowTheList() throws Exception {
        for (String path : List.of("app/a", "app/b", "apple", "other/app")) {
            send("PUT", "/v1/var/" + path, "{\"Items\":{\"k\":\"v\"}}");
        }

        assertThat(paths("/v1/vars?prefix=app/")).containsExactly("default/app/a", "default/app/b");
        assertThat(paths("/v1/vars?prefix=app")).containsExactly("default/app/a", "default/app/b", "default/apple");
        assertThat(paths("/v1/vars?filter=" + encode("Path matches \"^app/|/app$\""))).containsExactly(
                "default/app/a", "default/app/b", "default/other/app");
        assertThat(paths("/v1/vars?prefix=app&filter=" + encode("Path matches \"b$\""))).containsExactly(
                "default/app/b");
        assertThat(paths("/v1/vars?filter=" + encode("Namespace == \"default\" and CreateIndex != 0")))
                .as("numbers too").hasSize(4);
    }

    @Test
    void pagesFollowNomadsNextTokenAcrossNamespaces() throws Exception {
        // "a-b.x" sorts before "a.x" as a string; the list's order (namespace, then path) puts "a" first
        List<String> expected = new ArrayList<>();
        for (String namespace : List.of("a", "a-b", "default")) {
            for (int i = 0; i < 3; i++) {
                send("PUT", "/v1/var/p" + i + "?namespace=" + namespace, "{\"Items\":{\"k\":\"v\"}}");
                expected.add(namespace + "/p" + i);
            }
        }

        List<String> seen = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        String next = "";
        do {
            HttpResponse page = send("GET", "/v1/vars?namespace=*&per_page=2"
                    + (next.isEmpty() ? "" : "&next_token=" + encode(next)), null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().size()).isBetween(1, 2);
            page.json().forEach(v -> seen.add(v.path("Namespace").asText() + "/" + v.path("Path").asText()));
            next = page.header("X-Nomad-NextToken").orElse("");
            tokens.add(next);
        } while (!next.isEmpty());

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(tokens).first().isEqualTo("a.p2");
    }

    @Test
    void helpDescribesTheRoute() throws Exception {
        HttpResponse help = send("GET", "/v1/var/anything?help=1", null);

        assertThat(help.status()).isEqualTo(200);
        assertThat(help.json().path("help").asText()).contains("read");
    }

    private List<String> paths(String target) throws Exception {
        HttpResponse response = send("GET", target, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> paths = new ArrayList<>();
        response.json().forEach(v -> paths.add(v.path("Namespace").asText() + "/" + v.path("Path").asText()));
        return paths;
    }

    private static String items(String key, int valueLength) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("Items").put(key, "x".repeat(valueLength));
        return body.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, UTF_8).replace("+", "%20");
    }

    private HttpResponse send(String method, String target, String body) throws Exception {
        var request = task.client().request(method, target).bearer(management);
        if (body != null && !body.isEmpty()) {
            request.json(body);
        }
        return request.send();
    }
}
