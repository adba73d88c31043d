package io.taskapi.examples.cluster;

import static io.taskapi.examples.cli.TaskapiProcesses.ok;
import static io.taskapi.examples.cli.TaskapiProcesses.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.agent.TestAgents;
import io.taskapi.examples.agent.TestAgents.AgentProcess;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.ApiException;
import io.taskapi.examples.cli.TaskapiProcesses;
import io.taskapi.testing.etcd.EtcdCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents, each its own {@code ./taskapi agent} process with its own data directory, port and node, on one real
 * 3-member etcd cluster; each runs a task. Agent A is configured with a {@code state { etcd { … } }} block, agent B
 * with flags. What one agent writes, the other enforces: tokens, policies, variables, the keyring, nodes. The last
 * test kills agent A with SIGKILL.
 *
 * <p>Propagation delays are printed (p50/p99 of {@code -Dcluster.trials}, 20 unless set), never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ClusterAgentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration NODE_TTL = Duration.ofSeconds(3);
    private static final String SLEEPER = """
            job "sleeper-%s" {
              type = "service"
              group "g" {
                task "sleep" {
                  driver = "exec"
                  config {
                    command = "/bin/sleep"
                    args    = ["600"]
                  }
                  identity {
                    env  = true
                    file = true
                  }
                }
              }
            }
            """;

    private Path dir;
    private EtcdCluster etcd;
    private Path configA;
    private Path dataA;
    private int portA;
    private AgentProcess agentA;
    private AgentProcess agentB;
    private Path dataB;
    private ApiClient operatorA;
    private ApiClient operatorB;
    private String management;
    private String allocA;
    private String allocB;

    @BeforeAll
    void startTwoAgentsOnEtcd(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        etcd = EtcdCluster.start(3);
        String endpoints = etcd.endpoints().stream().map(Object::toString).collect(Collectors.joining(","));
        Path rootKey = dir.resolve("root.key"); // made by agent A at its first start, then given to agent B
        configA = Files.writeString(dir.resolve("agent-a.hcl"), "state {\n  etcd {\n    endpoints = ["
                + etcd.endpoints().stream().map(uri -> "\"" + uri + "\"").collect(Collectors.joining(", "))
                + "]\n    keyring_key_file = \"root.key\"\n    node_ttl = \"" + NODE_TTL.toSeconds() + "s\"\n  }\n}\n");
        dataA = dir.resolve("a");
        dataB = dir.resolve("b");
        portA = TestAgents.freePort();
        agentA = AgentProcess.start(dataA, portA, "-dev", "-acl-enabled", "-node", "agent-a", "-config",
                configA.toString());
        agentB = AgentProcess.start(dataB, TestAgents.freePort(), "-dev", "-acl-enabled", "-node", "agent-b",
                "-etcd-endpoints", endpoints, "-keyring-key-file", rootKey.toString());

        management = TaskapiProcesses.bootstrap(env(agentA));
        operatorA = agentA.client(Optional.of(management));
        operatorB = agentB.client(Optional.of(management));
        allocA = TestAgents.run(operatorA, SLEEPER.formatted("a")).get(0);
        allocB = TestAgents.run(operatorB, SLEEPER.formatted("b")).get(0);
        TestAgents.await(operatorA, allocA, "running");
        TestAgents.await(operatorB, allocB, "running");
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AgentProcess agent : new AgentProcess[] {agentA, agentB}) {
            if (agent != null && agent.process().isAlive()) {
                agent.terminate(); // -dev: stops its tasks
            }
        }
        TestAgents.processesUnder(dir).forEach(ProcessHandle::destroyForcibly);
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    @Order(1)
    void aclBootstrapIsOncePerCluster() {
        TaskapiProcesses.Result again = run(env(agentB), "acl", "bootstrap");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("ACL bootstrap already done");
    }

    @Test
    @Order(2)
    void eitherAgentAnswersForEveryNodeJobAndAllocation() {
        String fromB = ok(env(agentB, management), "node", "status").out();
        assertThat(fromB).containsPattern("dc1  agent-a .* ready\n").containsPattern("dc1  agent-b .* ready\n");
        assertThat(ok(env(agentA, management), "node", "status", "-filter", "Name == \"agent-b\"").out())
                .contains("agent-b").doesNotContain("agent-a");
        // Each job stays on its agent; the lists are the cluster's.
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (ApiClient operator : List.of(operatorA, operatorB)) {
                assertThat(operator.get("/v1/jobs").findValuesAsText("ID")).contains("sleeper-a", "sleeper-b");
                assertThat(operator.get("/v1/allocations").findValuesAsText("ID")).contains(allocA, allocB);
            }
        });
        assertThat(ok(env(agentB, management), "job", "status").out()).contains("sleeper-a").contains("sleeper-b");
    }

    @Test
    @Order(3)
    void aTokenMadeOnOneAgentWorksOnTheOthersTaskSocketUntilItIsDeleted() throws Exception {
        ApiClient operatorOfA = operatorA;
        writePolicy("trial", "read");
        List<Long> revocations = new ArrayList<>();
        for (int trial = 0; trial < trials(); trial++) {
            ObjectNode request = JsonNodeFactory.instance.objectNode().put("Name", "trial-" + trial)
                    .put("Type", "client");
            request.putArray("Policies").add("trial");
            JsonNode token = operatorOfA.write("POST", "/v1/acl/token", request);
            ApiClient onB = taskSocket(dataB, allocB, token.get("SecretID").asText());
            awaitStatus(onB, "/v1/acl/token/self", 200);

            operatorOfA.send("DELETE", "/v1/acl/token/" + token.get("AccessorID").asText(), null);
            long deleted = System.nanoTime();
            awaitStatus(onB, "/v1/acl/token/self", 403);
            revocations.add(System.nanoTime() - deleted);
        }
        System.out.println("token revocation on A refused on B's task socket after: " + percentiles(revocations));
    }

    @Test
    @Order(4)
    void aPolicyChangedOnOneAgentIsEnforcedOnTheOther() throws Exception {
        operatorA.write("PUT", "/v1/var/shared/policy-test", JsonNodeFactory.instance.objectNode()
                .set("Items", JsonNodeFactory.instance.objectNode().put("k", "v")));
        writePolicy("read-shared", "read");
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("Name", "reader").put("Type", "client");
        request.putArray("Policies").add("read-shared");
        String secret = operatorA.write("POST", "/v1/acl/token", request).get("SecretID").asText();
        ApiClient onB = taskSocket(dataB, allocB, secret);
        awaitStatus(onB, "/v1/var/shared/policy-test", 200);

        writePolicy("read-shared", "deny");
        long changed = System.nanoTime();
        awaitStatus(onB, "/v1/var/shared/policy-test", 403);
        System.out.println("policy change on A enforced on B's task socket after "
                + (System.nanoTime() - changed) / 1_000_000 + " ms");
    }

    @Test
    @Order(5)
    void aVariableWrittenOnOneAgentIsReadOnTheOtherWithTheSameIndexes() throws Exception {
        JsonNode written = operatorA.write("PUT", "/v1/var/shared/config", JsonNodeFactory.instance.objectNode()
                .set("Items", JsonNodeFactory.instance.objectNode().put("color", "blue")));
        long modifyIndex = written.get("ModifyIndex").asLong();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ApiClient.Response onB = operatorB.send("GET", "/v1/var/shared/config", null);
            JsonNode read = JSON.readTree(onB.text());
            assertThat(read.get("Items").get("color").asText()).isEqualTo("blue");
            assertThat(read.get("ModifyIndex").asLong()).isEqualTo(modifyIndex);
            assertThat(index(onB)).isEqualTo(index(operatorA.send("GET", "/v1/var/shared/config", null)))
                    .isGreaterThanOrEqualTo(modifyIndex);
        });
    }

    @Test
    @Order(5)
    void aBlockingQueryOnOneAgentWakesOnAWriteThroughTheOther() throws Exception {
        long index = index(operatorB.send("GET", "/v1/vars?prefix=shared/blocking", null));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ApiClient.Response> blocked = pool.submit(() -> operatorB.send("GET",
                    "/v1/vars?prefix=shared/blocking&index=" + index + "&wait=30s", null));
            Thread.sleep(500); // parked on agent B (a write before it parks answers at once, which is right too)
            long written = operatorA.write("PUT", "/v1/var/shared/blocking", JsonNodeFactory.instance.objectNode()
                    .set("Items", JsonNodeFactory.instance.objectNode().put("k", "v"))).get("ModifyIndex").asLong();
            ApiClient.Response woken = blocked.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(index(woken)).isGreaterThanOrEqualTo(written);
            assertThat(JSON.readTree(woken.text()).findValuesAsText("Path")).contains("shared/blocking");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(6)
    void ofTwoCheckAndSetWritesAtOneIndexThroughTwoAgentsExactlyOneWins() throws Exception {
        long index = operatorA.write("PUT", "/v1/var/shared/race", JsonNodeFactory.instance.objectNode()
                .set("Items", JsonNodeFactory.instance.objectNode().put("n", "0"))).get("ModifyIndex").asLong();
        awaitStatus(operatorB, "/v1/var/shared/race", 200);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> writes = new ArrayList<>();
            for (ApiClient client : List.of(operatorA, operatorB)) {
                writes.add(() -> {
                    byte[] body = ("{\"Items\":{\"n\":\"" + client.address() + "\"}}")
                            .getBytes(StandardCharsets.UTF_8);
                    try {
                        return client.send("PUT", "/v1/var/shared/race?cas=" + index, body).status();
                    } catch (ApiException e) {
                        return e.status();
                    }
                });
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : pool.invokeAll(writes)) {
                statuses.add(result.get());
            }
            Collections.sort(statuses);
            assertThat(statuses).containsExactly(200, 409);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(7)
    void aTasksIdentitySignedOnOneAgentVerifiesOnTheOther() throws Exception {
        String identity = identity(dataA, allocA);
        JsonNode self = taskSocket(dataB, allocB, identity).get("/v1/acl/token/self");
        assertThat(self.get("WorkloadIdentity").get("AllocationID").asText()).isEqualTo(allocA);
        String keyId = JSON.readTree(new String(Base64.getUrlDecoder().decode(
                identity.substring(0, identity.indexOf('.'))), StandardCharsets.UTF_8)).get("kid").asText();
        assertThat(operatorB.get("/.well-known/jwks.json").get("keys").findValuesAsText("kid")).contains(keyId);
        assertThat(identity(dataB, allocB)).as("B signs with the same cluster key")
                .startsWith(identity.substring(0, identity.indexOf('.')));
    }

    @Test
    @Order(8)
    void anAgentWithoutTheRootKeyAnswers503ForVariablesAndItsTasksIdentitiesVerifyEverywhere() throws Exception {
        AgentProcess agentC = AgentProcess.start(dir.resolve("c"), TestAgents.freePort(), "-dev", "-acl-enabled",
                "-node", "agent-c", "-etcd-endpoints", etcd.endpoints().stream().map(Object::toString)
                        .collect(Collectors.joining(",")));
        try {
            ApiClient operatorC = agentC.client(Optional.of(management));
            assertThat(TestAgents.status(operatorC, "GET", "/v1/acl/token/self")).as("ACLs are shared").isEqualTo(200);
            try {
                operatorC.get("/v1/var/shared/config");
                throw new AssertionError("a variable read without the root key");
            } catch (ApiException e) {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.getMessage()).contains("sealed");
            }
            String allocC = TestAgents.run(operatorC, SLEEPER.formatted("c")).get(0);
            TestAgents.await(operatorC, allocC, "running");
            String identity = identity(dir.resolve("c"), allocC);
            assertThat(TestAgents.status(taskSocket(dir.resolve("c"), allocC, identity), "GET",
                    "/v1/acl/token/self")).as("on its own agent").isEqualTo(200);
            awaitStatus(taskSocket(dataB, allocB, identity), "/v1/acl/token/self", 200);
        } finally {
            agentC.terminate();
        }
    }

    @Test
    @Order(100)
    void whenAnAgentIsKilledItsNodeIsDownOnTheOthersAndItsTasksIdentitiesStopWorking() throws Exception {
        String identityOfA = identity(dataA, allocA);
        ApiClient onB = taskSocket(dataB, allocB, identityOfA);
        awaitStatus(onB, "/v1/acl/token/self", 200);
        String node = nodeOf("agent-a");

        agentA.kill();
        long killed = System.nanoTime();
        Awaitility.await().atMost(NODE_TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(operatorB.get("/v1/node/" + node).get("Status").asText()).isEqualTo("down"));
        System.out.println("agent A killed: its node down on B after " + (System.nanoTime() - killed) / 1_000_000
                + " ms (node TTL " + NODE_TTL.toMillis() + " ms)");
        awaitStatus(onB, "/v1/acl/token/self", 403);

        // Back with the same data directory: its node is up again on B, and its task's identity works again.
        agentA = AgentProcess.start(dataA, portA, "-dev", "-acl-enabled", "-node", "agent-a", "-config",
                configA.toString());
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(operatorB.get("/v1/node/" + node).get("Status").asText()).isEqualTo("ready"));
    }

    private String nodeOf(String name) throws IOException, ApiException {
        for (JsonNode node : operatorB.get("/v1/nodes")) {
            if (node.get("Name").asText().equals(name)) {
                return node.get("ID").asText();
            }
        }
        throw new AssertionError("no node " + name);
    }

    private void writePolicy(String name, String capability) throws IOException, ApiException {
        operatorA.write("POST", "/v1/acl/policy/" + name, JsonNodeFactory.instance.objectNode().put("Name", name)
                .put("Rules", "namespace \"default\" {\n  variables {\n    path \"shared/*\" {\n"
                        + "      capabilities = [\"" + capability + "\"]\n    }\n  }\n}\n"));
    }

    private static ApiClient taskSocket(Path dataDir, String allocId, String token) {
        Path socket = dataDir.resolve("alloc").resolve(allocId).resolve("sleep/secrets/api.sock");
        return new ApiClient("unix://" + socket, Optional.of(token), Optional.empty(), false);
    }

    private static String identity(Path dataDir, String allocId) throws IOException {
        return Files.readString(dataDir.resolve("alloc").resolve(allocId).resolve("sleep/secrets/nomad_token"),
                StandardCharsets.US_ASCII).strip();
    }

    private static void awaitStatus(ApiClient client, String path, int status) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .untilAsserted(() -> assertThat(TestAgents.status(client, "GET", path)).isEqualTo(status));
    }

    private static long index(ApiClient.Response response) {
        return Long.parseLong(response.headers().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("X-Nomad-Index")).findFirst().orElseThrow()
                .getValue());
    }

    private static Map<String, String> env(AgentProcess agent) {
        return Map.of("NOMAD_ADDR", agent.client(Optional.empty()).address());
    }

    private static Map<String, String> env(AgentProcess agent, String token) {
        return Map.of("NOMAD_ADDR", agent.client(Optional.empty()).address(), "NOMAD_TOKEN", token);
    }

    private static int trials() {
        return Integer.getInteger("cluster.trials", 20);
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d trials",
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }
}
