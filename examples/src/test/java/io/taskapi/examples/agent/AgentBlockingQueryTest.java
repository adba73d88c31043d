package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobspecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nomad's blocking queries on the agent's own routes, with curl against a real agent and a real task: a query of an
 * allocation with {@code ?index=} of its last {@code X-Nomad-Index} waits until the task's state changes, as Nomad's
 * alloc watchers (the CLI's monitor, consul-template) rely on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentBlockingQueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Runs until the test creates {@code local/go} in its task directory. */
    private static final String WAITER = """
            job "waiter" {
              type = "batch"
              group "g" {
                restart {
                  attempts = 0
                  mode     = "fail"
                }
                task "t" {
                  driver = "exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "while [ ! -e \\"$NOMAD_TASK_DIR/go\\" ]; do sleep 0.1; done"]
                  }
                }
              }
            }
            """;

    private static Agent agent;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        agent = TestAgents.startDev();
        token = TestAgents.bootstrap(agent);
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void aBlockingAllocationQueryAnswersWhenTheTasksStateChanges() throws Exception {
        ApiClient management = TestAgents.client(agent, Optional.of(token));
        String allocId = TestAgents.run(management, WAITER).get(0);
        TestAgents.await(management, allocId, "running");
        Curl before = curl("/v1/allocation/" + allocId);
        long index = before.index();
        assertThat(before.json().path("TaskStates").path("t").path("State").asText()).isEqualTo("running");
        assertThat(before.json().path("ModifyIndex").asLong()).isLessThanOrEqualTo(index);

        Process blocked = start("/v1/allocation/" + allocId + "?index=" + index + "&wait=5m");
        awaitParked(blocked);
        assertThat(curl("/v1/jobs").index()).as("nothing changed meanwhile").isEqualTo(index);
        Files.writeString(agent.dataDir().allocDir().resolve(allocId).resolve("t").resolve("local").resolve("go"),
                "");

        Curl woken = finish(blocked);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(woken.index()).isGreaterThan(index);
        assertThat(woken.json().path("ModifyIndex").asLong()).isGreaterThan(index)
                .isLessThanOrEqualTo(woken.index());
        assertThat(woken.json().path("TaskStates").path("t")).isNotEqualTo(before.json().path("TaskStates")
                .path("t"));

        // Nomad's watch loop: block on the last index until the allocation is over; every answer moves the index.
        Curl last = woken;
        for (int i = 0; i < 20 && !last.json().path("ClientStatus").asText().equals("complete"); i++) {
            Curl next = finish(start("/v1/allocation/" + allocId + "?index=" + last.index() + "&wait=30s"));
            assertThat(next.index()).isGreaterThan(last.index());
            last = next;
        }
        assertThat(last.json().path("ClientStatus").asText()).isEqualTo("complete");
        assertThat(blockedQueries()).isZero();
    }

    @Test
    void aBlockingJobListAnswersWhenAJobIsRegisteredWithTheRegistrationsIndex() throws Exception {
        ApiClient management = TestAgents.client(agent, Optional.of(token));
        long index = curl("/v1/jobs").index();
        Process blocked = start("/v1/jobs?index=" + index);
        awaitParked(blocked);

        JsonNode registered = management.write("PUT", "/v1/jobs", JSON.createObjectNode().set("Job",
                JobJson.write(JobspecParser.parse(WAITER.replace("job \"waiter\"", "job \"listed\"")))));

        Curl woken = finish(blocked);
        long registration = registered.get("JobModifyIndex").asLong();
        assertThat(woken.index()).isGreaterThanOrEqualTo(registration).isGreaterThan(index);
        assertThat(woken.json().findValuesAsText("ID")).contains("listed");
        management.write("DELETE", "/v1/job/listed", null);
        // Over before the next test: its changes would wake that test's queries.
        TestAgents.await(management, registered.get("AllocationIDs").get(0).asText(), "complete", "failed");
    }

    /** Until the agent holds the query; it must not have answered. */
    private void awaitParked(Process blocked) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!blocked.isAlive()) {
                throw new AssertionError("answered without waiting: " + finish(blocked));
            }
            return blockedQueries() == 1;
        });
    }

    private long blockedQueries() throws Exception {
        for (JsonNode gauge : curl("/v1/metrics").json().path("Gauges")) {
            if (gauge.path("Name").asText().equals("taskapi.blocked_queries")) {
                return gauge.path("Value").asLong();
            }
        }
        throw new AssertionError("no taskapi.blocked_queries gauge");
    }

    private static Curl curl(String path) throws Exception {
        return finish(start(path));
    }

    /** curl as a user runs it: headers and body on stdout. */
    private static Process start(String path) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-i", "--max-time", "90",
                "-H", "X-Nomad-Token: " + token, agent.address() + path));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Curl finish(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Curl.parse(output);
    }

    /** What curl printed: the status line, the headers and the body. */
    private record Curl(int status, List<String> headers, JsonNode json) {
        static Curl parse(String output) throws IOException {
            int end = output.indexOf("\r\n\r\n");
            List<String> lines = List.of(output.substring(0, end).split("\r\n"));
            return new Curl(Integer.parseInt(lines.get(0).split(" ")[1]), lines.subList(1, lines.size()),
                    JSON.readTree(output.substring(end + 4)));
        }

        long index() {
            for (String header : headers) {
                if (header.toLowerCase(Locale.ROOT).startsWith("x-nomad-index:")) {
                    return Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
                }
            }
            throw new AssertionError("no X-Nomad-Index in " + headers);
        }
    }
}
