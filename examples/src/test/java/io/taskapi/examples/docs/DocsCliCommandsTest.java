package io.taskapi.examples.docs;

import static io.taskapi.examples.cli.TaskapiProcesses.ROOT;
import static io.taskapi.examples.cli.TaskapiProcesses.awaitLine;
import static io.taskapi.examples.cli.TaskapiProcesses.bootstrap;
import static io.taskapi.examples.cli.TaskapiProcesses.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.examples.cli.TaskapiProcesses;
import io.taskapi.examples.cli.TaskapiProcesses.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code taskapi} command that README.md and docs/*.md show, run as a person runs it: each its own process
 * through {@code Main}'s real {@code main} (what {@code ./taskapi} executes: picocli's writers, {@code System.exit}),
 * from the repository's root, with stdout, stderr and the exit code asserted. The agent is a process too. Ends with
 * the seed's final step: after the example job ran, {@code node status -filter 'Meta.example == "Hello World!"'}
 * prints the node.
 */
final class DocsCliCommandsTest {
    /** {@code ./taskapi …}, {@code $ taskapi …} and {@code `taskapi …}: the command words, up to three. */
    private static final Pattern DOC_COMMAND =
            Pattern.compile("(?:\\./|\\$ |`)taskapi((?: [a-z]+(?:-[a-z]+)*(?=[\\s`|)]|$)){1,3})");
    /** The commands {@link #theReadmeCommandsWorkAsProcesses} runs; every command in the docs must be one of them. */
    /**
     * Commands the docs show that are run as processes by other tests: {@link AllocExecCommandTest} (they need a
     * running task), {@code LoginCliTest} (they need an identity provider's key pair) and {@code ClusterDemoScriptTest}
     * (a token revoked on one agent of a cluster) and {@code UiProxyBrowserTest} (the web UI in a browser).
     */
    private static final Set<String> TESTED_ELSEWHERE = Set.of("alloc exec", "login", "acl role create",
            "acl auth-method create", "acl binding-rule create",
            "acl token delete", "ui-proxy");
    private static final Set<String> TESTED = Set.of("demo", "agent", "acl bootstrap", "acl policy apply", "job run",
            "job status", "job stop", "alloc status", "node status", "acl token create", "var put", "var get");

    @TempDir
    Path files;

    private final Set<String> ran = new TreeSet<>();

    @Test
    void everyCommandTheDocsShowIsTestedHere() throws IOException {
        Set<String> shown = new TreeSet<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            for (Path doc : Stream.concat(Stream.of(ROOT.resolve("README.md")), docs)
                    .filter(p -> p.toString().endsWith(".md")).toList()) {
                Matcher command = DOC_COMMAND.matcher(Files.readString(doc, StandardCharsets.UTF_8));
                while (command.find()) {
                    shown.add(command.group(1).trim());
                }
            }
        }
        // The extraction works (a change of the docs' style must not make this test pass on nothing) …
        assertThat(shown).contains("agent", "node status", "job run", "acl policy apply");
        // … and each command shown, or the group it belongs to ("job" for `taskapi job run|stop|status`), is run below;
        // words after a tested command are its arguments ("job stop taskapi-example").
        Set<String> testedAnywhere = new TreeSet<>(TESTED);
        testedAnywhere.addAll(TESTED_ELSEWHERE);
        assertThat(shown).allSatisfy(command -> assertThat(testedAnywhere).as("tested commands")
                .anySatisfy(tested -> assertThat((tested + " ").startsWith(command + " ")
                        || (command + " ").startsWith(tested + " ")).as(command).isTrue()));
    }

    @Test
    @Timeout(240)
    void theReadmeCommandsWorkAsProcesses() throws Exception {
        int port = freePort();
        Map<String, String> env = new HashMap<>(Map.of("NOMAD_ADDR", "http://127.0.0.1:" + port));
        Path agentLog = files.resolve("agent.stderr");
        Process agent = command(Map.of(), "agent", "-dev", "-acl-enabled", "-port", Integer.toString(port))
                .redirectError(agentLog.toFile()).start();
        try {
            ran.add("agent");
            String banner = awaitLine(agent, "==> taskapi agent started!");
            assertThat(banner).contains("HTTP      = http://127.0.0.1:" + port + " (plain HTTP: -dev)")
                    .contains("ACLs      = enabled");

            // export NOMAD_TOKEN=$(./taskapi acl bootstrap | awk '/^Secret ID/ {print $4}')
            noteRan("acl", "bootstrap");
            String token = bootstrap(env);
            assertThat(token).matches("[0-9a-f-]{36}");
            env.put("NOMAD_TOKEN", token);

            Path rules = files.resolve("node-write.hcl");
            Files.writeString(rules, "node {\n  policy = \"write\"\n}\n");
            assertThat(ok(env, "acl", "policy", "apply", "-namespace", "default", "-job", "taskapi-example",
                    "node-write", rules.toString()).out()).isEqualTo("Successfully wrote \"node-write\" ACL policy!\n");

            Result run = ok(env, "job", "run", "examples/jobs/taskapi-example.hcl");
            assertThat(run.out()).startsWith("==> Job \"taskapi-example\" registered")
                    .contains("Task \"taskapi\" is \"dead\" (exit code 0)");

            Result allocs = ok(env, "alloc", "status");
            assertThat(allocs.out()).startsWith("ID  ").contains("taskapi-example").contains("complete");
            Matcher allocId = Pattern.compile("\"ID\" : \"([0-9a-f-]{36})\"")
                    .matcher(ok(env, "alloc", "status", "-json").out());
            assertThat(allocId.find()).isTrue();
            assertThat(ok(env, "alloc", "status", allocId.group(1).substring(0, 8)).out())
                    .contains("ID             = " + allocId.group(1)).contains("Client Status  = complete")
                    .contains("Exit Code   = 0");

            // The seed's final step: the task's curl set the metadata, and the node is found by it.
            Result found = ok(env, "node", "status", "-filter", "Meta.example == \"Hello World!\"");
            assertThat(found.out()).startsWith("ID        Node Pool  DC   Name  ")
                    .containsPattern("\n[0-9a-f]{8}  default    dc1  .*  eligible     ready\n$");
            assertThat(ok(env, "node", "status", "-filter", "Meta.example == \"Goodbye\"").out())
                    .isEqualTo("No nodes match the filter\n");

            Path readonly = Files.writeString(files.resolve("readonly.hcl"),
                    "namespace \"default\" {\n  policy = \"read\"\n}\n");
            ok(env, "acl", "policy", "apply", "readonly", readonly.toString());
            Result ci = ok(env, "acl", "token", "create", "-name", "ci", "-type", "client", "-policy", "readonly");
            assertThat(ci.out()).contains("Name        = ci").contains("Type        = client")
                    .contains("Policies    = readonly");

            assertThat(ok(env, "var", "put", "nomad/jobs/web", "greeting=hello").out())
                    .startsWith("Created variable \"nomad/jobs/web\" with modify index");
            assertThat(ok(env, "var", "get", "nomad/jobs/web").out()).contains("Path        = nomad/jobs/web")
                    .contains("greeting = hello");

            assertThat(ok(env, "job", "status").out()).contains("taskapi-example").contains("batch");
            assertThat(ok(env, "job", "stop", "taskapi-example").out())
                    .isEqualTo("==> Job \"taskapi-example\" stopped\n");
            assertThat(ok(env, "job", "status", "taskapi-example").out()).contains("Stop      = true");

            // An error is the API's words on stderr and exit 1, nothing on stdout.
            Result bad = taskapi(env, "node", "status", "-filter", "Meta.example ==");
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.out()).isEmpty();
            assertThat(bad.err()).startsWith("Error querying nodes: Unexpected response code: 400\n");
        } finally {
            agent.destroy();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(agentLog, StandardCharsets.UTF_8)).as("the agent's log")
                .doesNotContain(env.get("NOMAD_TOKEN"));

        // ./taskapi demo, with -port 0 as the README says, so that it does not need 4646 to be free.
        Result demo = ok(Map.of(), "demo", "-port", "0");
        assertThat(demo.out()).contains("$ taskapi node status -filter 'Meta.example == \"Hello World!\"'")
                .contains("Found it");
        assertThat(ran).containsAll(TESTED);
    }

    /** Runs a command that must succeed, noting which command it was. */
    private Result ok(Map<String, String> env, String... args) {
        noteRan(args);
        return TaskapiProcesses.ok(env, args);
    }

    private Result taskapi(Map<String, String> env, String... args) {
        noteRan(args);
        return TaskapiProcesses.run(env, args);
    }

    private void noteRan(String... args) {
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("-") || !arg.matches("[a-z]+") || words.size() == 3) {
                break;
            }
            words.add(arg);
        }
        ran.add(String.join(" ", words));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
