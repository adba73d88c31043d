package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.ApiException;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobspecParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Nomad's clients ask about a job's past and a node's work: {@code /v1/job/:id/evaluations},
 * {@code /v1/job/:id/versions}, {@code /v1/evaluation/:id/allocations} and {@code /v1/node/:id/allocations}, over
 * the operator listener of a real agent with ACLs on, with Nomad's permissions, 404-or-empty answers and shapes.
 */
class AgentHistoryRoutesTest {
    private static final String JOB = """
            job "%s" {
              type      = "batch"
              namespace = "%s"
              group "g" {
                task "t" {
                  driver = "exec"
                  config {
                    command = "%s"
                  }
                }
              }
            }
            """;

    private static Agent agent;
    private static ApiClient management;

    @BeforeAll
    static void start() throws Exception {
        agent = TestAgents.startDev();
        management = TestAgents.client(agent, Optional.of(TestAgents.bootstrap(agent)));
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void aJobsEvaluationsAndVersionsAsNomadAnswersThem() throws Exception {
        JsonNode first = register(management, "hist", "default", "true");
        JsonNode second = register(management, "hist", "default", "false");
        JsonNode stopped = management.write("DELETE", "/v1/job/hist", null);

        JsonNode evaluations = management.get("/v1/job/hist/evaluations");
        assertThat(values(evaluations, "ID")).containsExactly(first.get("EvalID").asText(),
                second.get("EvalID").asText(), stopped.get("EvalID").asText());
        assertThat(values(evaluations, "TriggeredBy")).containsExactly("job-register", "job-register",
                "job-deregister");
        assertThat(evaluations.get(0).get("JobID").asText()).isEqualTo("hist");
        assertThat(evaluations.get(0).get("Status").asText()).isEqualTo("complete");
        // Nomad: an unknown job has no evaluations, not a 404.
        assertThat(management.get("/v1/job/nope/evaluations")).isEmpty();
        assertThat(management.get("/v1/job/hist/evaluations?namespace=other")).isEmpty();

        ApiClient.Response answer = management.send("GET", "/v1/job/hist/versions", null);
        assertThat(answer.headers()).containsKeys("x-nomad-index", "x-nomad-knownleader");
        JsonNode versions = new ObjectMapper().readTree(answer.body());
        assertThat(fieldNames(versions)).containsExactly("Versions", "Diffs");
        assertThat(versions.get("Diffs").isNull()).isTrue();
        assertThat(values(versions.get("Versions"), "Version")).containsExactly("2", "1", "0");
        assertThat(values(versions.get("Versions"), "Stop")).containsExactly("true", "false", "false");
        assertThat(versions.get("Versions").get(1).get("JobModifyIndex").asLong())
                .isEqualTo(second.get("JobModifyIndex").asLong());
        assertThat(versions.get("Versions").get(2).path("TaskGroups").get(0).path("Tasks").get(0).path("Config")
                .path("command").asText()).isEqualTo("true");
        assertThat(management.get("/v1/job/hist").get("Version").asInt()).isEqualTo(2);
        assertThat(management.get("/v1/job/hist/versions?diffs=false").get("Versions")).hasSize(3);
        assertRefused(404, "/v1/job/nope/versions", "job versions not found");
        assertRefused(404, "/v1/job/hist/versions?namespace=other", "job versions not found");
        assertRefused(400, "/v1/job/hist/versions?diffs=true", "diffs: not supported by this agent");
        assertRefused(400, "/v1/job/hist/versions?diffs=maybe", "Failed to parse value of \"diffs\" (maybe)");

        // Each allocation names the evaluation that placed it and the job version it runs.
        String secondAlloc = second.get("AllocationIDs").get(0).asText();
        JsonNode placed = management.get("/v1/evaluation/" + second.get("EvalID").asText() + "/allocations");
        assertThat(values(placed, "ID")).containsExactly(secondAlloc);
        assertThat(placed.get(0).get("EvalID").asText()).isEqualTo(second.get("EvalID").asText());
        assertThat(placed.get(0).get("JobVersion").asInt()).isEqualTo(1);
        assertThat(management.get("/v1/allocation/" + secondAlloc).get("EvalID").asText())
                .isEqualTo(second.get("EvalID").asText());
        assertThat(management.get("/v1/evaluation/" + stopped.get("EvalID").asText() + "/allocations")).isEmpty();
        assertThat(management.get("/v1/evaluation/" + UUID.randomUUID() + "/allocations")).isEmpty();

        JsonNode help = management.get("/v1/job/hist/versions?help=1");
        assertThat(help.get("help").asText()).contains("newest first");
    }

    @Test
    void aNodesAllocationsNeedNodeReadAndShowOnlyTheNamespacesTheCallerMayRead() throws Exception {
        String inDefault = register(management, "mine", "default", "true").get("AllocationIDs").get(0).asText();
        JsonNode other = register(management, "theirs", "other", "true");
        String inOther = other.get("AllocationIDs").get(0).asText();
        String nodeId = agent.node().id();
        String path = "/v1/node/" + nodeId + "/allocations";

        ApiClient nodeOnly = client(token("node-only", "node {\n  policy = \"read\"\n}\n"));
        ApiClient nodeAndDefault = client(token("node-default", "node {\n  policy = \"read\"\n}\n"
                + "namespace \"default\" {\n  policy = \"read\"\n}\n"));
        ApiClient defaultOnly = client(token("default-only", "namespace \"default\" {\n  policy = \"read\"\n}\n"));
        ApiClient both = client(token("both", "namespace \"*\" {\n  policy = \"read\"\n}\n"));

        assertThat(values(management.get(path), "ID")).contains(inDefault, inOther);
        assertThat(management.get(path).get(0).has("TaskStates")).as("full allocations").isTrue();
        assertThat(nodeOnly.get(path)).isEmpty();
        assertThat(values(nodeAndDefault.get(path), "ID")).contains(inDefault).doesNotContain(inOther);
        // ?namespace= does not narrow it: Nomad shows every namespace the caller may read.
        assertThat(values(nodeAndDefault.get(path + "?namespace=other"), "ID")).contains(inDefault)
                .doesNotContain(inOther);
        assertThat(TestAgents.status(defaultOnly, "GET", path)).isEqualTo(403);
        assertThat(TestAgents.status(TestAgents.client(agent, Optional.empty()), "GET", path)).isEqualTo(403);
        assertThat(management.get("/v1/node/" + UUID.randomUUID() + "/allocations")).isEmpty();

        // An evaluation's allocations, asked for in another namespace: Nomad wants read-job in theirs too.
        String evalPath = "/v1/evaluation/" + other.get("EvalID").asText() + "/allocations";
        assertThat(TestAgents.status(defaultOnly, "GET", evalPath)).isEqualTo(403);
        assertThat(values(both.get(evalPath), "ID")).containsExactly(inOther);
        assertThat(values(both.get(evalPath + "?namespace=other"), "ID")).containsExactly(inOther);
        assertThat(TestAgents.status(defaultOnly, "GET", "/v1/job/mine/evaluations")).isEqualTo(200);
        assertThat(TestAgents.status(defaultOnly, "GET", "/v1/job/theirs/evaluations?namespace=other"))
                .isEqualTo(403);
        assertThat(TestAgents.status(nodeOnly, "GET", "/v1/job/mine/versions")).isEqualTo(403);
    }

    @Test
    void versionsAreKeptAcrossARestartAndOnlyTheLastSix(@TempDir Path dataDir) throws Exception {
        AgentOptions options = AgentOptions.dev(true).withPort(TestAgents.freePort()).withDataDir(dataDir);
        String secret;
        try (Agent first = Agent.start(options)) {
            secret = TestAgents.bootstrap(first);
            ApiClient api = TestAgents.client(first, Optional.of(secret));
            for (int i = 0; i < JobScheduler.VERSIONS_KEPT + 2; i++) {
                register(api, "many", "default", "true");
            }
            assertThat(values(api.get("/v1/job/many/versions").get("Versions"), "Version"))
                    .containsExactly("7", "6", "5", "4", "3", "2");
        }
        try (Agent second = Agent.start(options)) {
            ApiClient api = TestAgents.client(second, Optional.of(secret));
            assertThat(values(api.get("/v1/job/many/versions").get("Versions"), "Version"))
                    .containsExactly("7", "6", "5", "4", "3", "2");
            register(api, "many", "default", "true");
            assertThat(api.get("/v1/job/many").get("Version").asInt()).isEqualTo(8);
        }
    }

    private static JsonNode register(ApiClient client, String id, String namespace, String command)
            throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("Job", JobJson.write(JobspecParser.parse(JOB.formatted(id, namespace, command))));
        return client.write("PUT", "/v1/jobs?namespace=" + namespace, body);
    }

    private static String token(String name, String rules) throws Exception {
        ObjectNode policy = JsonNodeFactory.instance.objectNode().put("Name", name).put("Rules", rules);
        management.write("PUT", "/v1/acl/policy/" + name, policy);
        ObjectNode token = JsonNodeFactory.instance.objectNode().put("Name", name).put("Type", "client");
        token.putArray("Policies").add(name);
        return management.write("POST", "/v1/acl/token", token).get("SecretID").asText();
    }

    private static ApiClient client(String secret) {
        return TestAgents.client(agent, Optional.of(secret));
    }

    private static void assertRefused(int status, String path, String message) {
        assertThatThrownBy(() -> management.get(path)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
    }

    /** @return each element's top-level field, as text */
    private static List<String> values(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(element -> values.add(element.path(field).asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
