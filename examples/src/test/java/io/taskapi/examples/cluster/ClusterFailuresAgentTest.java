package io.taskapi.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.examples.agent.TestAgents;
import io.taskapi.examples.agent.TestAgents.AgentProcess;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.Main;
import io.taskapi.testing.etcd.EtcdCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The failure proofs with real agent processes: two {@code ./taskapi agent} processes on one real 3-member
 * etcd cluster, each running an exec task, configured by a {@code state { etcd { … } }} block with short timings.
 * The etcd leader is killed during a stream of acknowledged writes through both agents; a majority is stopped and
 * started again; a third agent starts while etcd is entirely down. Every failure must be a JSON 503, never a 500,
 * and the agents recover without a restart.
 *
 * <p>Outages and delays are printed, never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ClusterFailuresAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STALENESS_BOUND = Duration.ofSeconds(4);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration WRITE_AFTER_KILL = Duration.ofSeconds(4);
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
                    file = true
                  }
                }
              }
            }
            """;
    private static final String READER_POLICY = "namespace \"default\" {\n  variables {\n    path \"shared/*\" {\n"
            + "      capabilities = [\"read\"]\n    }\n  }\n}\n";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Path dir;
    private Path config;
    private EtcdCluster etcd;
    private AgentProcess agentA;
    private AgentProcess agentB;
    private String agentC;
    private Process agentCProcess;
    private String management;
    private String readerSecret;
    private ApiClient taskSocketA;
    private ApiClient taskSocketB;
    private ApiClient identityOnA; // task A's own workload identity on its socket

    @BeforeAll
    void startTwoAgentsOnEtcd(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        etcd = EtcdCluster.start(3);
        config = Files.writeString(dir.resolve("agent.hcl"), "state {\n  etcd {\n    endpoints = ["
                + etcd.endpoints().stream().map(uri -> "\"" + uri + "\"").collect(Collectors.joining(", "))
                + "]\n    keyring_key_file = \"" + dir.resolve("root.key") + "\"\n    node_ttl = \"3s\"\n"
                + "    staleness_bound = \"" + STALENESS_BOUND.toSeconds() + "s\"\n    request_timeout = \"2s\"\n"
                + "    heartbeat_interval = \"500ms\"\n  }\n}\n");
        agentA = start("a"); // makes the root key, which the others then load
        agentB = start("b");

        management = call(agentA, "POST", "/v1/acl/bootstrap", null, null).json().get("SecretID").asText();
        ApiClient operatorA = agentA.client(Optional.of(management));
        ApiClient operatorB = agentB.client(Optional.of(management));
        String allocA = TestAgents.run(operatorA, SLEEPER.formatted("a")).get(0);
        String allocB = TestAgents.run(operatorB, SLEEPER.formatted("b")).get(0);
        TestAgents.await(operatorA, allocA, "running");
        TestAgents.await(operatorB, allocB, "running");

        assertThat(call(agentA, "POST", "/v1/acl/policy/reader", management, "{\"Name\":\"reader\",\"Rules\":"
                + JSON.writeValueAsString(READER_POLICY) + "}").status()).isEqualTo(200);
        readerSecret = call(agentA, "POST", "/v1/acl/token", management,
                "{\"Name\":\"reader\",\"Type\":\"client\",\"Policies\":[\"reader\"]}").json().get("SecretID")
                .asText();
        assertThat(call(agentA, "PUT", "/v1/var/shared/probe", management, "{\"Items\":{\"k\":\"v\"}}").status())
                .isEqualTo(200);
        taskSocketA = taskSocket("a", allocA, readerSecret);
        taskSocketB = taskSocket("b", allocB, readerSecret);
        identityOnA = taskSocket("a", allocA, Files.readString(dir.resolve("a").resolve("alloc").resolve(allocA)
                .resolve("sleep/secrets/nomad_token"), StandardCharsets.US_ASCII).strip());
        assertThat(TestAgents.status(identityOnA, "GET", "/v1/acl/token/self")).isEqualTo(200);
        for (ApiClient socket : List.of(taskSocketA, taskSocketB)) {
            Awaitility.await().atMost(WAIT).untilAsserted(() ->
                    assertThat(TestAgents.status(socket, "GET", "/v1/var/shared/probe")).isEqualTo(200));
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            if (agentCProcess != null) {
                agentCProcess.destroy();
                if (!agentCProcess.waitFor(60, TimeUnit.SECONDS)) {
                    agentCProcess.destroyForcibly();
                }
            }
            for (AgentProcess agent : new AgentProcess[] {agentA, agentB}) {
                if (agent != null && agent.process().isAlive()) {
                    try {
                        agent.terminate(); // -dev: stops its tasks
                    } catch (AssertionError e) {
                        agent.kill();
                    }
                }
            }
        } finally {
            if (dir != null) {
                TestAgents.processesUnder(dir).forEach(ProcessHandle::destroyForcibly);
            }
            if (etcd != null) {
                etcd.close();
            }
        }
    }

    @Test
    @Order(1)
    void aLeaderKilledDuringAcknowledgedWritesThroughBothAgentsLosesNoneAndTheAgentsKeepServing() throws Exception {
        Map<String, String> variables = new ConcurrentHashMap<>(); // path -> value
        Map<String, String> tokens = new ConcurrentHashMap<>(); // accessor id -> secret
        ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unavailable = new ConcurrentLinkedQueue<>();
        AtomicInteger afterKillA = new AtomicInteger();
        AtomicInteger afterKillB = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (AgentProcess agent : List.of(agentA, agentB)) {
            String name = agent == agentA ? "a" : "b";
            AtomicInteger afterKill = agent == agentA ? afterKillA : afterKillB;
            writers.add(new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    boolean variable = n % 2 == 0;
                    String path = variable ? "/v1/var/stream/" + name + "-" + n : "/v1/acl/token";
                    String body = variable ? "{\"Items\":{\"n\":\"" + name + n + "\"}}"
                            : "{\"Name\":\"" + name + "-" + n + "\",\"Type\":\"client\",\"Policies\":[\"reader\"]}";
                    try {
                        Answer answer = call(agent, variable ? "PUT" : "POST", path, management, body);
                        if (answer.status() / 100 == 2) {
                            acknowledgedAt.add(System.nanoTime());
                            if (variable) {
                                variables.put(path, name + n);
                            } else {
                                JsonNode token = answer.json();
                                tokens.put(token.get("AccessorID").asText(), token.get("SecretID").asText());
                            }
                            if (killed.get()) {
                                afterKill.incrementAndGet();
                            }
                        } else if (answer.status() == 503 && answer.isJsonErrors()) {
                            unavailable.add(answer.body());
                            pause(20); // a client retrying waits a little (writes fail fast while etcd is down)
                        } else {
                            wrong.add(name + " " + path + ": " + answer.status() + " " + answer.body());
                        }
                    } catch (IOException | RuntimeException e) {
                        wrong.add(name + " " + path + ": " + e);
                        pause(20);
                    }
                }
            }, "writer-" + name));
        }
        writers.forEach(Thread::start);
        int leader;
        long killedAt;
        try {
            Awaitility.await().atMost(WAIT).until(() -> acknowledgedAt.size() >= 40);
            leader = etcd.awaitLeader();
            killedAt = System.nanoTime();
            etcd.kill(leader);
            killed.set(true);
            // Write on until well after the election, and until both agents have acknowledged writes again.
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                    System.nanoTime() - killedAt > WRITE_AFTER_KILL.toNanos() && afterKillA.get() >= 10
                            && afterKillB.get() >= 10);
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(WAIT.toMillis());
            }
        }
        assertThat(wrong).as("answers other than 2xx or a JSON 503").isEmpty();
        int newLeader = etcd.awaitLeader();
        System.out.println("leader m" + leader + " killed (new leader m" + newLeader + "): "
                + (variables.size() + tokens.size()) + " acknowledged writes through two agents ("
                + variables.size() + " variables, " + tokens.size() + " tokens), " + unavailable.size()
                + " answered 503" + unavailable.stream().findFirst().map(first -> " (" + first + ")").orElse("")
                + "; longest gap between acknowledged writes: " + longestGap(acknowledgedAt, killedAt) / 1_000_000
                + " ms around the kill, " + longestGap(acknowledgedAt, Long.MIN_VALUE) / 1_000_000 + " ms overall");

        etcd.restart(leader); // for the next tests
        for (int i = 0; i < etcd.size(); i++) {
            etcd.awaitHealthy(i);
        }
        // Every acknowledged write is readable through both agents.
        for (AgentProcess agent : List.of(agentA, agentB)) {
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                for (Map.Entry<String, String> write : variables.entrySet()) {
                    Answer read = call(agent, "GET", write.getKey(), management, null);
                    assertThat(read.status()).as("GET %s", write.getKey()).isEqualTo(200);
                    assertThat(read.json().get("Items").get("n").asText()).isEqualTo(write.getValue());
                }
                for (Map.Entry<String, String> token : tokens.entrySet()) {
                    Answer read = call(agent, "GET", "/v1/acl/token/" + token.getKey(), management, null);
                    assertThat(read.status()).as("token %s", token.getKey()).isEqualTo(200);
                    assertThat(read.json().get("SecretID").asText()).isEqualTo(token.getValue());
                }
            });
        }
    }

    @Test
    @Order(2)
    void withAMajorityStoppedWritesAnswer503ReadsWorkUntilTheBoundAndBothAgentsRecover() throws Exception {
        int leader = etcd.awaitLeader();
        int other = (leader + 1) % etcd.size();
        etcd.stop(other);
        etcd.stop(leader);
        long stoppedAt = System.nanoTime();

        // Reads answer from memory at first.
        for (AgentProcess agent : List.of(agentA, agentB)) {
            assertThat(call(agent, "GET", "/v1/var/shared/probe", management, null).status())
                    .as("a variable read right after the majority stopped").isEqualTo(200);
        }
        for (ApiClient socket : List.of(taskSocketA, taskSocketB)) {
            assertThat(TestAgents.status(socket, "GET", "/v1/acl/token/self"))
                    .as("a token on a task socket right after the majority stopped").isEqualTo(200);
        }
        // Writes: 503 (JSON), within the request timeout, then at once.
        List<String> writeTimes = new ArrayList<>();
        for (AgentProcess agent : List.of(agentA, agentB, agentA)) {
            long sent = System.nanoTime();
            Answer write = call(agent, "PUT", "/v1/var/shared/during-outage", management, "{\"Items\":{\"k\":\"v\"}}");
            assertThat(write.status()).as("a write with a majority down: %s", write.body()).isEqualTo(503);
            assertThat(write.isJsonErrors()).as("a JSON error: %s", write.body()).isTrue();
            writeTimes.add((System.nanoTime() - sent) / 1_000_000 + " ms");
        }
        Answer tokenWrite = call(agentB, "POST", "/v1/acl/token", management,
                "{\"Name\":\"outage\",\"Type\":\"client\",\"Policies\":[\"reader\"]}");
        assertThat(tokenWrite.status()).isEqualTo(503);
        assertThat(tokenWrite.isJsonErrors()).isTrue();

        // Then reads too: the variable GET and the token on each task socket, 200 until they turn 503, and no other.
        List<String> readsServed = new ArrayList<>();
        for (AgentProcess agent : List.of(agentA, agentB)) {
            String name = agent == agentA ? "A" : "B";
            long turned = awaitTurn503(() -> {
                Answer read = call(agent, "GET", "/v1/var/shared/probe", management, null);
                if (read.status() == 503) {
                    assertThat(read.isJsonErrors()).as("a JSON error: %s", read.body()).isTrue();
                }
                return read.status();
            });
            readsServed.add("variable GET on " + name + " until " + (turned - stoppedAt) / 1_000_000 + " ms");
        }
        for (ApiClient socket : List.of(taskSocketA, taskSocketB)) {
            String name = socket == taskSocketA ? "A" : "B";
            long turned = awaitTurn503(() -> TestAgents.status(socket, "GET", "/v1/acl/token/self"));
            readsServed.add("token on " + name + "'s task socket until " + (turned - stoppedAt) / 1_000_000 + " ms");
        }
        // Not asserted: a local task's identity is checked against this agent's own allocations (by design).
        int identity = TestAgents.status(identityOnA, "GET", "/v1/acl/token/self");
        System.out.println("majority stopped (m" + leader + ", m" + other + "): writes answered 503 in "
                + writeTimes + "; reads served from memory: " + readsServed + " (staleness bound "
                + STALENESS_BOUND.toMillis() + " ms); past the bound, task A's own identity on its socket: "
                + identity);

        etcd.restart(leader);
        etcd.restart(other);
        long restartedAt = System.nanoTime();
        List<String> recovered = new ArrayList<>();
        for (AgentProcess agent : List.of(agentA, agentB)) {
            String name = agent == agentA ? "A" : "B";
            awaitRecovered(agent, name);
            recovered.add(name + " after " + (System.nanoTime() - restartedAt) / 1_000_000 + " ms");
        }
        for (ApiClient socket : List.of(taskSocketA, taskSocketB)) {
            Awaitility.await().atMost(WAIT).untilAsserted(() ->
                    assertThat(TestAgents.status(socket, "GET", "/v1/acl/token/self")).isEqualTo(200));
        }
        System.out.println("majority back: reads and writes 2xx again on " + recovered + ", without a restart");
        for (int i = 0; i < etcd.size(); i++) {
            etcd.awaitHealthy(i);
        }
    }

    @Test
    @Order(3)
    void anAgentStartedWhileEtcdIsDownAnswers503AndWorksOnceEtcdIsUp() throws Exception {
        for (int i = 0; i < etcd.size(); i++) {
            etcd.stop(i);
        }
        long starting = System.nanoTime();
        agentC = startWithoutEtcd("c");
        long started = System.nanoTime();
        Answer health = call(agentC, "GET", "/v1/agent/health", null, null);
        assertThat(health.status()).as("health: %s", health.body()).isIn(200, 503);
        List<String> answers = new ArrayList<>();
        for (String[] request : new String[][] {{"GET", "/v1/acl/token/self", null},
                {"GET", "/v1/var/shared/probe", null}, {"PUT", "/v1/var/shared/from-c", "{\"Items\":{\"k\":\"c\"}}"},
                {"POST", "/v1/acl/token", "{\"Name\":\"from-c\",\"Type\":\"client\"}"}}) {
            Answer answer = call(agentC, request[0], request[1], management, request[2]);
            assertThat(answer.status()).as("%s %s with etcd down: %s", request[0], request[1], answer.body())
                    .isEqualTo(503);
            assertThat(answer.isJsonErrors()).as("a JSON error: %s", answer.body()).isTrue();
            answers.add(request[0] + " " + request[1] + " " + answer.status());
        }
        System.out.println("agent C started with etcd down in " + (started - starting) / 1_000_000 + " ms (its"
                + " health " + health.status() + " " + health.body().strip() + "); " + answers + "; e.g. "
                + call(agentC, "GET", "/v1/acl/token/self", management, null).body().strip());

        for (int i = 0; i < etcd.size(); i++) {
            etcd.restart(i);
        }
        long restartedAt = System.nanoTime();
        awaitRecovered(agentC, "C");
        long recovered = System.nanoTime();
        assertThat(call(agentC, "GET", "/v1/var/shared/probe", management, null).json().get("Items").get("k")
                .asText()).isEqualTo("v");
        assertThat(call(agentC, "GET", "/v1/acl/token/self", management, null).status()).isEqualTo(200);
        for (AgentProcess agent : List.of(agentA, agentB)) {
            awaitRecovered(agent, agent == agentA ? "A" : "B");
        }
        System.out.println("etcd started: agent C answers reads and writes after "
                + (recovered - restartedAt) / 1_000_000 + " ms");
    }

    /** Waits until the agent answers a token read, a variable read and a variable write with 2xx. */
    private void awaitRecovered(AgentProcess agent, String name) {
        awaitRecovered(agent.client(Optional.empty()).address(), name);
    }

    private void awaitRecovered(String agent, String name) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(call(agent, "GET", "/v1/acl/token/self", management, null).status()).isEqualTo(200);
            assertThat(call(agent, "GET", "/v1/var/shared/probe", management, null).status()).isEqualTo(200);
            Answer write = call(agent, "PUT", "/v1/var/shared/recovered-" + name, management,
                    "{\"Items\":{\"k\":\"v\"}}");
            assertThat(write.status()).as("a write on %s: %s", name, write.body()).isEqualTo(200);
        });
    }

    /** A read's status, 200 until it turns 503; returns when it turned. */
    private static long awaitTurn503(StatusCall read) {
        Awaitility.await().atMost(STALENESS_BOUND.multipliedBy(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                    int status = read.status();
                    assertThat(status).as("a read with a majority down answers 200, then 503").isIn(200, 503);
                    assertThat(status).isEqualTo(503);
                });
        return System.nanoTime();
    }

    /** A request that answers with a status. */
    @FunctionalInterface
    private interface StatusCall {
        int status() throws Exception;
    }

    private AgentProcess start(String name) throws IOException {
        return AgentProcess.start(dir.resolve(name), TestAgents.freePort(), "-dev", "-acl-enabled", "-node",
                "agent-" + name, "-config", config.toString());
    }

    /**
     * Starts an agent as {@link AgentProcess#start} does, but waits only until it answers at all: with etcd down,
     * even its health check needs state it cannot have (ACLs are on).
     */
    private String startWithoutEtcd(String name) throws IOException {
        int port = TestAgents.freePort();
        Path data = dir.resolve(name);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "agent", "-data-dir", data.toString(),
                "-bind", "127.0.0.1", "-port", Integer.toString(port), "-dev", "-acl-enabled", "-node",
                "agent-" + name, "-config", config.toString());
        Path log = dir.resolve(name + ".log");
        agentCProcess = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String address = "http://127.0.0.1:" + port;
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(
                IOException.class).untilAsserted(() -> {
                    assertThat(agentCProcess.isAlive()).as("the agent process (its log: %s)", log).isTrue();
                    assertThat(call(address, "GET", "/v1/agent/health", null, null).status()).isPositive();
                });
        return address;
    }

    private ApiClient taskSocket(String agent, String allocId, String token) {
        Path socket = dir.resolve(agent).resolve("alloc").resolve(allocId).resolve("sleep/secrets/api.sock");
        return new ApiClient("unix://" + socket, Optional.of(token), Optional.empty(), false);
    }

    /** An answer of an agent's HTTP API, whatever its status. */
    private record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        /** @return whether the body is {@code {"errors":["…", …]}} with at least one message */
        boolean isJsonErrors() {
            try {
                JsonNode errors = JSON.readTree(body).get("errors");
                return errors != null && errors.isArray() && !errors.isEmpty() && errors.get(0).isTextual();
            } catch (IOException e) {
                return false;
            }
        }
    }

    private Answer call(AgentProcess agent, String method, String path, String token, String body)
            throws IOException {
        return call(agent.client(Optional.empty()).address(), method, path, token, body);
    }

    private Answer call(String address, String method, String path, String token, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path))
                .timeout(Duration.ofSeconds(15)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Nomad-Token", token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            throw new IOException(method + " " + path + " had no answer within 15 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The longest gap between consecutive acknowledgements, of those that end after {@code after}. */
    private static long longestGap(ConcurrentLinkedQueue<Long> times, long after) {
        List<Long> sorted = times.stream().sorted().toList();
        long longest = 0;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i) >= after) {
                longest = Math.max(longest, sorted.get(i) - sorted.get(i - 1));
            }
        }
        return longest;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
