package io.taskapi.examples.docs;

import static io.taskapi.examples.cli.TaskapiProcesses.awaitLine;
import static io.taskapi.examples.cli.TaskapiProcesses.bootstrap;
import static io.taskapi.examples.cli.TaskapiProcesses.command;
import static io.taskapi.examples.cli.TaskapiProcesses.ok;
import static io.taskapi.examples.cli.TaskapiProcesses.run;
import static io.taskapi.examples.cli.TaskapiProcesses.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.examples.agent.TestAgents;
import io.taskapi.examples.cli.Main;
import io.taskapi.examples.cli.TaskapiProcesses;
import io.taskapi.examples.cli.TaskapiProcesses.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./taskapi alloc exec} as an operator runs it, each command its own process, into a task of the exec driver
 * on a real agent: the seed's operator case (curl to the task's own socket with the operator's token, and without
 * one), standard input to the command, its exit code, and the capability it needs.
 */
final class AllocExecCommandTest {
    private static final String JOB = """
            job "shell" {
              type = "service"
              group "shell" {
                task "t" {
                  driver = "exec"
                  config {
                    command = "sleep"
                    args    = ["600"]
                  }
                }
              }
            }
            """;

    @TempDir
    static Path files;

    private static Process agent;
    private static final Map<String, String> ENV = new HashMap<>();
    private static String alloc;

    @BeforeAll
    static void runAJobWithALongTask() throws Exception {
        int port = TestAgents.freePort();
        ENV.put("NOMAD_ADDR", "http://127.0.0.1:" + port);
        agent = command(Map.of(), "agent", "-dev", "-acl-enabled", "-port", Integer.toString(port))
                .redirectError(files.resolve("agent.stderr").toFile()).start();
        awaitLine(agent, "==> taskapi agent started!");
        ENV.put("NOMAD_TOKEN", bootstrap(ENV));
        Path job = Files.writeString(files.resolve("shell.hcl"), JOB);
        ok(ENV, "job", "run", "-detach", job.toString());
        Matcher id = Pattern.compile("\"ID\" : \"([0-9a-f-]{36})\"").matcher(ok(ENV, "alloc", "status", "-json").out());
        assertThat(id.find()).isTrue();
        alloc = id.group(1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                ok(ENV, "alloc", "status", alloc).out().contains("Task \"t\" is \"running\""));
    }

    @AfterAll
    static void stopTheAgent() throws Exception {
        if (agent != null) {
            agent.destroy();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theSeedsOperatorCaseCurlsTheTasksOwnSocketWithTheOperatorsToken() {
        String curl = "curl -s --unix-socket \"$NOMAD_SECRETS_DIR/api.sock\" -H \"X-Nomad-Token: "
                + ENV.get("NOMAD_TOKEN") + "\" localhost/v1/agent/health";
        Result health = run(ENV, "alloc", "exec", "-task", "t", alloc.substring(0, 8), "sh", "-c", curl);
        assertThat(health.code()).as(health.err()).isZero();
        assertThat(health.out()).isEqualTo("{\"client\":{\"message\":\"ok\",\"ok\":true}}");

        Result anonymous = run(ENV, "alloc", "exec", "-task", "t", alloc, "sh", "-c",
                "curl -s -w ' %{http_code}' --unix-socket \"$NOMAD_SECRETS_DIR/api.sock\" localhost/v1/agent/health");
        assertThat(anonymous.code()).isZero();
        assertThat(anonymous.out()).startsWith("{\"errors\":[\"Unauthorized: send a token in X-Nomad-Token")
                .endsWith(" 401");
    }

    @Test
    void standardInputReachesTheCommandAndItsExitCodeIsTheCommands() {
        Result result = runWithInput(ENV, "hello\n", "alloc", "exec", alloc, "sh", "-c",
                "read line; echo \"got $line in $(pwd)\"; echo oops >&2; exit 3");
        assertThat(result.code()).isEqualTo(3);
        assertThat(result.out()).startsWith("got hello in /").endsWith("/t\n");
        assertThat(result.err()).isEqualTo("oops\n");

        Result environment = run(ENV, "alloc", "exec", "-i=false", alloc, "sh", "-c",
                "echo \"$NOMAD_ALLOC_ID $NOMAD_TASK_NAME ${NOMAD_TOKEN:-no-token}\"");
        assertThat(environment.out()).isEqualTo(alloc + " t no-token\n");
    }

    @Test
    void anOperatorWithoutAllocExecIsRefusedAndNothingRuns() throws Exception {
        Path rules = Files.writeString(files.resolve("reader.hcl"), "namespace \"default\" {\n  policy = \"read\"\n}\n");
        ok(ENV, "acl", "policy", "apply", "reader", rules.toString());
        String secret = ok(ENV, "acl", "token", "create", "-name", "reader", "-policy", "reader").out().lines()
                .filter(line -> line.startsWith("Secret ID")).findFirst().orElseThrow().split("\\s+")[3];
        Map<String, String> reader = new HashMap<>(ENV);
        reader.put("NOMAD_TOKEN", secret);

        Result refused = run(reader, "alloc", "exec", alloc, "touch", files.resolve("ran").toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).isEqualTo("Error executing command: Unexpected response code: 403\n");
        assertThat(files.resolve("ran")).doesNotExist();
    }

    @Test
    void anInteractiveShellInARealTerminalTypesResizesAndExits() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux (installed by .ci/install-test-deps)");
        Path exitFile = files.resolve("exit-code");
        // The command a person types, run by a shell in a tmux pane: the pane is the terminal alloc exec makes raw.
        Path script = Files.writeString(files.resolve("exec.sh"), "#!/bin/sh\n"
                + "export NOMAD_ADDR='" + ENV.get("NOMAD_ADDR") + "' NOMAD_TOKEN='" + ENV.get("NOMAD_TOKEN") + "'\n"
                + "cd '" + TaskapiProcesses.ROOT + "'\n"
                + "'" + ProcessHandle.current().info().command().orElse("java") + "' -cp '"
                + System.getProperty("java.class.path") + "' " + Main.class.getName() + " alloc exec -t " + alloc
                + " sh\necho \"exit=$?\" > '" + exitFile + "'\n");
        String server = "taskapi-test-" + ProcessHandle.current().pid();
        try {
            // The pane stays after the command, so that what it printed can be seen.
            tmux(server, "new-session", "-d", "-s", "exec", "-x", "80", "-y", "24", "sh " + script + "; sleep 60");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    tmux(server, "capture-pane", "-p", "-t", "exec")).as("the pane").containsPattern("(?m)^[#$]"));

            tmux(server, "send-keys", "-t", "exec", "echo hi-$((40+2)) $(tty)", "Enter");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    tmux(server, "capture-pane", "-p", "-t", "exec")).as("the pane").contains("hi-42 /dev/pts/"));

            tmux(server, "resize-window", "-t", "exec", "-x", "100", "-y", "30");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                tmux(server, "send-keys", "-t", "exec", "stty size", "Enter");
                assertThat(tmux(server, "capture-pane", "-p", "-t", "exec")).contains("30 100");
            });

            tmux(server, "send-keys", "-t", "exec", "exit 3", "Enter");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(exitFile));
            assertThat(Files.readString(exitFile)).isEqualTo("exit=3\n");
        } finally {
            tmux(server, "kill-server");
        }
    }

    private static String tmux(String server, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", server));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }
}
