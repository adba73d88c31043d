package io.taskapi.examples.docs;

import static io.taskapi.examples.cli.TaskapiProcesses.awaitLine;
import static io.taskapi.examples.cli.TaskapiProcesses.bootstrap;
import static io.taskapi.examples.cli.TaskapiProcesses.command;
import static io.taskapi.examples.cli.TaskapiProcesses.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.examples.agent.TestAgents;
import io.taskapi.testing.PrivateDockerEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's job exactly as Nomad's documentation gives it ({@code examples/jobs/taskapi-example.docker.hcl}: the
 * {@code curlimages/curl} image, {@code --unix-socket ${NOMAD_SECRETS_DIR}/api.sock}, the workload identity as a
 * bearer token) on a real Docker engine, run as an operator runs it: the agent and every CLI command their own
 * processes, the engine a private {@code dockerd} the agent is pointed at by a config file. Ends with the seed's
 * final step: the node found by the metadata the container set.
 */
final class DockerSeedJobTest {
    @RegisterExtension
    static final PrivateDockerEngine ENGINE = new PrivateDockerEngine();

    @TempDir
    Path files;

    @Test
    @Timeout(240)
    void theSeedsDockerJobSetsTheMetadataTheNodeIsFoundBy() throws Exception {
        Path config = Files.writeString(files.resolve("agent.hcl"),
                "plugin \"docker\" {\n  config {\n    endpoint = \"" + ENGINE.endpoint() + "\"\n  }\n}\n");
        int port = TestAgents.freePort();
        Map<String, String> env = new HashMap<>(Map.of("NOMAD_ADDR", "http://127.0.0.1:" + port));
        Path agentLog = files.resolve("agent.stderr");
        Process agent = command(Map.of(), "agent", "-dev", "-acl-enabled", "-port", Integer.toString(port),
                "-config", config.toString()).redirectError(agentLog.toFile()).start();
        try {
            try {
                awaitLine(agent, "==> taskapi agent started!");
            } catch (IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "\nits log:\n" + Files.readString(agentLog), e);
            }
            env.put("NOMAD_TOKEN", bootstrap(env));
            assertThat(ok(env, "node", "status", "-filter", "Drivers.docker.Healthy == true").out())
                    .as("the node, with a healthy docker driver").containsPattern("\n[0-9a-f]{8}  default  ");

            Path rules = Files.writeString(files.resolve("node-write.hcl"), "node {\n  policy = \"write\"\n}\n");
            ok(env, "acl", "policy", "apply", "-namespace", "default", "-job", "taskapi-example", "node-write",
                    rules.toString());
            assertThat(ok(env, "node", "status", "-filter", "Meta.example == \"Hello World!\"").out())
                    .isEqualTo("No nodes match the filter\n");

            String run = ok(env, "job", "run", "examples/jobs/taskapi-example.docker.hcl").out();
            assertThat(run).startsWith("==> Job \"taskapi-example\" registered")
                    .contains("Task \"taskapi\" is \"dead\" (exit code 0)");
            assertThat(ok(env, "node", "status", "-filter", "Meta.example == \"Hello World!\"").out())
                    .startsWith("ID        Node Pool  DC   Name  ")
                    .containsPattern("\n[0-9a-f]{8}  default    dc1  .*  eligible     ready\n$");

            ok(env, "job", "stop", "taskapi-example");
        } finally {
            agent.destroy();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
        }
        assertThat(ENGINE.containers()).as("the containers the agent left").isEmpty();
        assertThat(Files.readString(agentLog, StandardCharsets.UTF_8)).as("the agent's log")
                .doesNotContain(env.get("NOMAD_TOKEN"));
    }
}
