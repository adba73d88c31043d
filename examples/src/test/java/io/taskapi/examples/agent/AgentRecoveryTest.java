package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.examples.cli.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as an operator runs it (its own process, not {@code -dev}, a data directory): stopped with SIGTERM it
 * leaves its tasks running, killed with SIGKILL it loses nothing, and started again with the same data directory it
 * recovers every task: the socket answers the task's identity, {@code alloc status} shows a {@code Recovered} event,
 * a task killed while the agent was down is reported with its real status, later exits with their real codes, and a
 * {@code job stop} leaves no process of the job behind.
 */
class AgentRecoveryTest {
    private static final String JOB = """
            job "recover" {
              type = "service"
              group "shell" {
                restart {
                  attempts = 0
                  mode     = "fail"
                }
                task "exec" {
                  driver = "exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "echo $$ > pid; while [ ! -e exit ]; do sleep 0.1; done; exit $(cat exit)"]
                  }
                  identity {
                    file = true
                  }
                }
              }
              group "jvm" {
                restart {
                  attempts = 0
                  mode     = "fail"
                }
                task "java" {
                  driver = "java"
                  config {
                    class      = "io.taskapi.examples.agent.ExitWhenTold"
                    class_path = "%s"
                  }
                  identity {
                    file = true
                  }
                }
              }
              group "victim" {
                restart {
                  attempts = 0
                  mode     = "fail"
                }
                task "sleep" {
                  driver = "exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "echo $$ > pid; exec sleep 600"]
                  }
                  identity {
                    file = true
                  }
                }
              }
            }
            """;

    @TempDir
    Path dataDir;

    private final List<TestAgents.AgentProcess> agents = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (TestAgents.AgentProcess agent : agents) {
            agent.kill();
        }
        // Whatever a failed test left of the job's tasks.
        taskProcesses().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void tasksSurviveAGracefulStopAndAKillAndAreRecoveredWithTheirSocketsAndExitCodes() throws Exception {
        int port = TestAgents.freePort();
        TestAgents.AgentProcess first = start(port);
        ApiClient anonymous = first.client(Optional.empty());
        String management = anonymous.write("POST", "/v1/acl/bootstrap", null).get("SecretID").asText();
        ApiClient api = first.client(Optional.of(management));
        List<String> allocIds = TestAgents.run(api, JOB.formatted(testClasses()));
        assertThat(allocIds).hasSize(3);
        for (String id : allocIds) {
            TestAgents.await(api, id, "running");
        }
        Map<String, Path> taskDirs = Map.of("exec", taskDir(api, allocIds, "exec"), "java",
                taskDir(api, allocIds, "java"), "sleep", taskDir(api, allocIds, "sleep"));
        taskDirs.values().forEach(dir -> awaitFile(dir.resolve("pid")));
        taskDirs.values().forEach(dir -> assertThat(identityAnswers(dir)).isEqualTo("200"));
        long execPid = pid(taskDirs.get("exec"));

        // SIGTERM without -dev: the agent goes, its tasks stay.
        first.terminate();
        assertThat(ProcessHandle.of(execPid)).as("the exec task after a graceful stop").hasValueSatisfying(
                p -> assertThat(p.isAlive()).isTrue());
        assertThat(identityAnswers(taskDirs.get("exec"))).as("the socket while the agent is down")
                .isNotEqualTo("200");

        TestAgents.AgentProcess second = start(port);
        long answering = System.nanoTime();
        ApiClient api2 = second.client(Optional.of(management));
        taskDirs.values().forEach(dir -> awaitIdentity(dir));
        System.out.printf("recovered sockets answered %d ms after the agent did%n",
                (System.nanoTime() - answering) / 1_000_000);
        for (String task : taskDirs.keySet()) {
            assertThat(eventTypes(api2, allocIds, task)).as(task).endsWith("Started", "Recovered");
        }

        // SIGKILL, and while the agent is down the victim task is killed too.
        second.kill();
        ProcessHandle victim = ProcessHandle.of(pid(taskDirs.get("sleep"))).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().get();

        TestAgents.AgentProcess third = start(port);
        answering = System.nanoTime();
        ApiClient api3 = third.client(Optional.of(management));
        awaitIdentity(taskDirs.get("exec"));
        awaitIdentity(taskDirs.get("java"));
        System.out.printf("recovered sockets answered %d ms after the agent restarted from SIGKILL%n",
                (System.nanoTime() - answering) / 1_000_000);
        JsonNode sleep = TestAgents.await(api3, alloc(api3, allocIds, "sleep"), "failed").get("TaskStates")
                .get("sleep");
        assertThat(sleep.get("ExitCode").asInt()).as("the task killed while the agent was down").isEqualTo(137);
        assertThat(eventTypes(api3, allocIds, "exec")).endsWith("Recovered", "Recovered");
        assertThat(TestAgents.await(api3, alloc(api3, allocIds, "exec"), "running").get("TaskStates").get("exec")
                .get("State").asText()).isEqualTo("running");

        // Later exits are reported with their real codes.
        tell(taskDirs.get("exec"), 3);
        tell(taskDirs.get("java"), 5);
        assertThat(TestAgents.await(api3, alloc(api3, allocIds, "exec"), "failed").get("TaskStates").get("exec")
                .get("ExitCode").asInt()).isEqualTo(3);
        assertThat(TestAgents.await(api3, alloc(api3, allocIds, "java"), "failed").get("TaskStates").get("java")
                .get("ExitCode").asInt()).isEqualTo(5);
    }

    @Test
    void aJobStopAfterARecoveryLeavesNoProcessBehind() throws Exception {
        int port = TestAgents.freePort();
        TestAgents.AgentProcess first = start(port);
        String management = first.client(Optional.empty()).write("POST", "/v1/acl/bootstrap", null).get("SecretID")
                .asText();
        List<String> allocIds = TestAgents.run(first.client(Optional.of(management)),
                JOB.formatted(testClasses()));
        for (String id : allocIds) {
            TestAgents.await(first.client(Optional.of(management)), id, "running");
        }
        assertThat(taskProcesses()).as("the job's processes").hasSizeGreaterThanOrEqualTo(3);
        first.kill();

        TestAgents.AgentProcess second = start(port);
        ApiClient api = second.client(Optional.of(management));
        for (String id : allocIds) {
            TestAgents.await(api, id, "running");
        }
        api.write("DELETE", "/v1/job/recover", null);
        for (String id : allocIds) {
            TestAgents.await(api, id, "complete");
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(taskProcesses()).as("processes of the job after job stop").isEmpty());
    }

    @Test
    void aDevAgentStopsItsTasksWhenItStops() throws Exception {
        TestAgents.AgentProcess agent = start(TestAgents.freePort(), "-dev");
        String management = agent.client(Optional.empty()).write("POST", "/v1/acl/bootstrap", null).get("SecretID")
                .asText();
        ApiClient api = agent.client(Optional.of(management));
        for (String id : TestAgents.run(api, JOB.formatted(testClasses()))) {
            TestAgents.await(api, id, "running");
        }
        assertThat(taskProcesses()).as("the job's processes").hasSizeGreaterThanOrEqualTo(3);

        agent.terminate();

        assertThat(taskProcesses()).as("processes of the job after the -dev agent stopped").isEmpty();
    }

    /** @return the processes working in the data directory, but not the agents (their command line names it) */
    private List<ProcessHandle> taskProcesses() {
        List<Long> agentPids = agents.stream().map(agent -> agent.process().pid()).toList();
        return TestAgents.processesUnder(dataDir).stream().filter(p -> !agentPids.contains(p.pid())).toList();
    }

    private TestAgents.AgentProcess start(int port, String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("-acl-enabled"));
        all.addAll(List.of(flags));
        TestAgents.AgentProcess agent = TestAgents.AgentProcess.start(dataDir, port, all.toArray(String[]::new));
        agents.add(agent);
        return agent;
    }

    private Path taskDir(ApiClient api, List<String> allocIds, String task) throws Exception {
        return dataDir.resolve("alloc").resolve(alloc(api, allocIds, task)).resolve(task);
    }

    private static String alloc(ApiClient api, List<String> allocIds, String task) throws Exception {
        for (String id : allocIds) {
            if (api.get("/v1/allocation/" + id).get("TaskStates").has(task)) {
                return id;
            }
        }
        throw new AssertionError("no allocation has task " + task);
    }

    private static List<String> eventTypes(ApiClient api, List<String> allocIds, String task) throws Exception {
        JsonNode events = api.get("/v1/allocation/" + alloc(api, allocIds, task)).get("TaskStates").get(task)
                .get("Events");
        return StreamSupport.stream(events.spliterator(), false).map(e -> e.get("Type").asText()).toList();
    }

    /** Curl on the task's socket with the task's own identity, as the task would call it. */
    private static String identityAnswers(Path taskDir) {
        try {
            String token = Files.readString(taskDir.resolve("secrets/nomad_token"), StandardCharsets.US_ASCII);
            return TestAgents.curl("http://localhost/v1/vars?prefix=nomad/jobs/recover", "--unix-socket",
                    taskDir.resolve("secrets/api.sock").toString(), "-H", "X-Nomad-Token: " + token);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitIdentity(Path taskDir) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(identityAnswers(taskDir)).as("the workload identity on %s's socket", taskDir)
                        .isEqualTo("200"));
    }

    private static void awaitFile(Path file) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(file) > 0);
    }

    private static long pid(Path taskDir) throws IOException {
        return Long.parseLong(Files.readString(taskDir.resolve("pid"), StandardCharsets.US_ASCII).trim());
    }

    /** Asks a test task to exit with a code: the file appears whole, by rename. */
    private static void tell(Path taskDir, int exitCode) throws IOException {
        Path temporary = Files.writeString(taskDir.resolve("exit.tmp"), Integer.toString(exitCode));
        Files.move(temporary, taskDir.resolve("exit"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The directory of this module's compiled test classes, where {@link ExitWhenTold} is. */
    private static String testClasses() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> entry.endsWith("test-classes")).findFirst().orElseThrow();
    }
}
