package io.taskapi.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.examples.agent.TestAgents;
import io.taskapi.examples.cli.Main;
import io.taskapi.examples.cli.TaskapiProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/cluster-demo} as a person runs it: a 3-member etcd cluster and two agents, the seed's job on agent
 * 2, its node found from agent 1, a token revoked on agent 1 and refused on agent 2's task socket, and nothing left
 * behind. The script's {@code ./taskapi} is this build's CLI (the jar is not packaged yet while tests run).
 */
final class ClusterDemoScriptTest {
    private static final Pattern WORK_DIR = Pattern.compile("agents in (/tmp/tcd\\.\\w+)\\)");

    @TempDir
    Path bin;

    @Test
    @Timeout(300)
    void theClusterDemoRunsTheSeedAcrossTwoAgentsAndStopsEverything() throws Exception {
        Path cli = bin.resolve("taskapi");
        Files.writeString(cli, "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElse("java")
                + "' -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder demo = new ProcessBuilder(TaskapiProcesses.ROOT.resolve("examples/cluster-demo").toString())
                .directory(TaskapiProcesses.ROOT.toFile()).redirectErrorStream(true);
        demo.environment().keySet().removeIf(name -> name.startsWith("NOMAD_"));
        demo.environment().put("TASKAPI", cli.toString());
        Process process = demo.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("Successfully wrote \"node-write\" ACL policy!")
                .contains("Task \"taskapi\" is \"dead\" (exit code 0)")
                .containsPattern("NOMAD_ADDR=\\S+ taskapi node status -filter 'Meta.example == \"Hello World!\"'\n"
                        + ".*\n.*  agent-2  .* ready\n")
                .containsSubsequence("HTTP 200", "acl token delete", "successfully deleted", "HTTP 403")
                .contains("==> Revoked on agent 1, refused on agent 2: one state for the whole cluster.")
                .doesNotContainPattern("Secret ID +=");
        Matcher work = WORK_DIR.matcher(output);
        assertThat(work.find()).as(output).isTrue();
        Path workDir = Path.of(work.group(1));
        assertThat(workDir).as("the demo's directory, removed").doesNotExist();
        assertThat(TestAgents.processesUnder(workDir)).as("processes the demo left").isEmpty();
    }
}
