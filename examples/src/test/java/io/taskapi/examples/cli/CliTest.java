package io.taskapi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.examples.agent.Agent;
import io.taskapi.examples.agent.TestAgents;
import io.taskapi.examples.cli.TaskapiProcesses.Result;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a live dev agent with ACLs on, each command its own process through {@code Main} (see
 * {@link #taskapi}); {@code DocsCliCommandsTest} runs the commands the docs show the same way.
 */
class CliTest {
    private static Agent agent;
    private static String management;

    @TempDir
    static Path files;

    @BeforeAll
    static void start() throws Exception {
        agent = TestAgents.startDev();
        Result bootstrap = taskapi(Map.of("NOMAD_ADDR", agent.address()), "acl", "bootstrap");
        assertThat(bootstrap.code()).isZero();
        assertThat(bootstrap.out()).contains("Type        = management");
        Matcher secret = Pattern.compile("Secret ID\\s+=\\s+(\\S+)").matcher(bootstrap.out());
        assertThat(secret.find()).isTrue();
        management = secret.group(1);
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void nodeStatusPrintsNomadsTableAndFilters() {
        Result all = cli("node", "status");
        assertThat(all.code()).isZero();
        assertThat(all.out()).startsWith("ID  ").contains("Node Pool  DC   Name").contains("Eligibility  Status")
                .contains(agent.node().id().substring(0, 8)).contains("dc1").contains("eligible").contains("ready");

        assertThat(cli("node", "status", "-filter", "Meta.rack == \"r1\"").out())
                .contains(agent.node().id().substring(0, 8));
        assertThat(cli("node", "status", "-filter", "Meta.rack == \"r2\"").out()).isEqualTo("No nodes match the filter\n");
        assertThat(cli("node", "status", "-json").out()).contains("\"ID\" : \"" + agent.node().id() + "\"");
        assertThat(cli("node", "status", agent.node().id().substring(0, 6)).out())
                .contains("ID        = " + agent.node().id()).contains("kernel.name").contains("rack");

        Result bad = cli("node", "status", "-filter", "Meta.rack ==");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("Error querying nodes: Unexpected response code: 400")
                .contains("failed to read filter expression");
    }

    @Test
    void jobRunWaitsForTheAllocationAndReportsExitCodes() throws Exception {
        Path ok = job("ok", "true");
        Result run = cli("job", "run", ok.toString());
        assertThat(run.code()).isZero();
        // A fast task may be complete before the first poll, so the CLI may not see it running: "…status \"complete\"".
        assertThat(run.out()).contains("==> Job \"ok\" registered").containsPattern("(-> |status )\"complete\"")
                .contains("Task \"t\" is \"dead\" (exit code 0)");

        Result failing = cli("job", "run", job("bad", "false").toString());
        assertThat(failing.code()).isEqualTo(2);
        assertThat(failing.out()).containsPattern("(-> |status )\"failed\"").contains("(exit code 1)");

        Result table = cli("alloc", "status");
        assertThat(table.out()).startsWith("ID  ").contains("Task Group").contains("complete").contains("failed");
        String allocId = firstAllocation("ok");
        Result detail = cli("alloc", "status", allocId.substring(0, 8));
        assertThat(detail.out()).contains("ID             = " + allocId).contains("Client Status  = complete")
                .contains("Task \"t\" is \"dead\"").contains("Exit Code   = 0").contains("Terminated");
        assertThat(cli("alloc", "status", "-json", allocId).out()).contains("\"ExitCode\" : 0");
        assertThat(cli("job", "status").out()).contains("ok").contains("batch").contains("dead");
        assertThat(cli("job", "status", "ok").out()).contains("Status    = dead");
    }

    @Test
    void jobRunShowsWhereAJobFileIsWrong() throws Exception {
        Path broken = files.resolve("broken.hcl");
        Files.writeString(broken, "job \"x\" {\n  group \"g\" {\n    tsk \"t\" {\n    }\n  }\n}\n");

        Result run = cli("job", "run", broken.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("Error parsing job file from " + broken)
                .contains("3:5: unknown key \"tsk\" in group block");
    }

    @Test
    void aclPolicyAndTokenCommandsGrantExactlyWhatTheySay() throws Exception {
        Path rules = files.resolve("read.hcl");
        Files.writeString(rules, "namespace \"default\" {\n  policy = \"read\"\n}\n");
        assertThat(cli("acl", "policy", "apply", "-description", "read jobs", "readjobs", rules.toString()).out())
                .isEqualTo("Successfully wrote \"readjobs\" ACL policy!\n");
        Result token = cli("acl", "token", "create", "-name", "ci", "-type", "client", "-policy", "readjobs");
        assertThat(token.code()).isZero();
        assertThat(token.out()).contains("Name        = ci").contains("Policies    = readjobs");
        Matcher secret = Pattern.compile("Secret ID\\s+=\\s+(\\S+)").matcher(token.out());
        assertThat(secret.find()).isTrue();

        Map<String, String> reader = Map.of("NOMAD_ADDR", agent.address(), "NOMAD_TOKEN", secret.group(1));
        assertThat(taskapi(reader, "job", "status").code()).isZero();
        Result denied = taskapi(reader, "node", "status");
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.err()).contains("Error querying nodes: Unexpected response code: 403")
                .contains("Permission denied");

        Result unknown = taskapi(Map.of("NOMAD_ADDR", agent.address(), "NOMAD_TOKEN",
                "00000000-0000-4000-8000-000000000000"), "node", "status");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("403");

        Result unreachable = taskapi(Map.of("NOMAD_ADDR", "http://127.0.0.1:1"), "node", "status");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("Error querying nodes:");
    }

    @Test
    void fromInsideATaskTheCliTalksToItsSocketWithItsIdentity() throws Exception {
        assertThat(cli("var", "put", "nomad/jobs/inside", "secret=xyzzy").out())
                .startsWith("Created variable \"nomad/jobs/inside\" with modify index");
        assertThat(cli("var", "get", "-item", "secret", "nomad/jobs/inside").out()).isEqualTo("xyzzy\n");
        Path rules = files.resolve("node-read.hcl");
        Files.writeString(rules, "node {\n  policy = \"read\"\n}\n");
        assertThat(cli("acl", "policy", "apply", "-namespace", "default", "-job", "inside", "-group", "g",
                "inside-node-read", rules.toString()).code()).isZero();
        Path jobFile = files.resolve("inside.hcl");
        Files.writeString(jobFile, """
                job "inside" {
                  type = "service"
                  group "g" {
                    task "t" {
                      driver = "exec"
                      config {
                        command = "sleep"
                        args    = ["60"]
                      }
                      identity {
                        file = true
                      }
                    }
                  }
                }
                """);
        assertThat(cli("job", "run", jobFile.toString()).code()).isZero();
        Path secrets = agent.dataDir().allocDir().resolve(firstAllocation("inside")).resolve("t").resolve("secrets");
        String identity = Files.readString(secrets.resolve("nomad_token"), StandardCharsets.US_ASCII);
        Map<String, String> task = Map.of("NOMAD_ADDR", "unix://" + secrets.resolve("api.sock"),
                "NOMAD_TOKEN", identity);

        // Nomad's own e2e check: a task reads its job's variable with its workload identity, no policy needed.
        Result variable = taskapi(task, "var", "get", "nomad/jobs/inside");
        assertThat(variable.code()).as(variable.err()).isZero();
        assertThat(variable.out()).contains("Path        = nomad/jobs/inside").contains("secret = xyzzy");
        assertThat(taskapi(task, "node", "status").out()).contains(agent.node().id().substring(0, 8));
        Result noToken = taskapi(Map.of("NOMAD_ADDR", task.get("NOMAD_ADDR")), "node", "status");
        assertThat(noToken.code()).isEqualTo(1);
        assertThat(noToken.err()).contains("Unexpected response code: 401");

        assertThat(cli("job", "stop", "inside").out()).isEqualTo("==> Job \"inside\" stopped\n");
        assertThat(cli("job", "status", "inside").out()).contains("Stop      = true");
    }

    @Test
    void aTaskSocketThatIsMissingOrDeadFailsWithTheSystemsWords() throws Exception {
        Path missing = files.resolve("missing.sock");
        Result absent = taskapi(Map.of("NOMAD_ADDR", "unix://" + missing), "node", "status");
        assertThat(absent.code()).isEqualTo(1);
        assertThat(absent.err()).isEqualTo("Error querying nodes: No such file or directory\n");

        Path dead = files.resolve("dead.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(dead));
        }   // closed: the file stays, nobody listens
        Result refused = taskapi(Map.of("NOMAD_ADDR", "unix://" + dead), "node", "status");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("Error querying nodes: Connection refused\n");
    }

    private static String firstAllocation(String job) {
        Result allocs = cli("alloc", "status", "-json");
        // The fields between ID and Name (EvalID) are skipped.
        Matcher alloc = Pattern.compile("\"ID\" : \"([0-9a-f-]{36})\",(?:\\s+\"\\w+\" : \"[^\"]*\",)*"
                + "\\s+\"Name\" : \"" + Pattern.quote(job) + "\\.").matcher(allocs.out());
        assertThat(alloc.find()).as(allocs.out()).isTrue();
        return alloc.group(1);
    }

    private static Path job(String name, String command) throws Exception {
        Path file = files.resolve(name + ".hcl");
        Files.writeString(file, """
                job "%s" {
                  type = "batch"
                  group "g" {
                    restart {
                      attempts = 0
                    }
                    task "t" {
                      driver = "exec"
                      config {
                        command = "%s"
                      }
                    }
                  }
                }
                """.formatted(name, command));
        return file;
    }

    private static Result cli(String... args) {
        return taskapi(Map.of("NOMAD_ADDR", agent.address(), "NOMAD_TOKEN", management), args);
    }

    /** The CLI as a person runs it: its own process, so what is asserted is what reaches a terminal. */
    private static Result taskapi(Map<String, String> env, String... args) {
        return TaskapiProcesses.run(env, args);
    }
}
