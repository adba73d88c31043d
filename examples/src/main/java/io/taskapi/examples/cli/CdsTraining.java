package io.taskapi.examples.cli;

import io.taskapi.examples.agent.Agent;
import io.taskapi.examples.agent.AgentOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run of {@code ./taskapi}'s class-data-sharing archive (run with {@code -XX:ArchiveClassesAtExit}; not
 * a command). It does once, in one process, what the commands do — a dev agent with ACLs starts and answers, and the
 * CLI's commands run against it — so that the archive holds the classes they load, parsed and verified: the next
 * processes map them instead of loading them from the jars. Output is discarded; it exits 0 when everything ran.
 */
public final class CdsTraining {
    private static final Pattern SECRET = Pattern.compile("Secret ID\\s+=\\s+(\\S+)");

    private CdsTraining() {}

    /**
     * @param args none
     * @throws Exception when a step fails (the launcher then runs without an archive)
     */
    public static void main(String[] args) throws Exception {
        Main.configureLogging("agent");
        Path work = Files.createTempDirectory("taskapi-cds-");
        try (Agent agent = Agent.start(AgentOptions.dev(true).withPort(freePort()))) {
            Map<String, String> env = new HashMap<>(Map.of("NOMAD_ADDR", agent.address()));
            Matcher secret = SECRET.matcher(run(env, "acl", "bootstrap"));
            if (!secret.find()) {
                throw new IllegalStateException("acl bootstrap printed no secret");
            }
            env.put("NOMAD_TOKEN", secret.group(1));
            run(env, "node", "status");
            run(env, "node", "status", "-filter", "Meta.example == \"Hello World!\"");
            run(env, "node", "status", "-json");
            Path job = Files.writeString(work.resolve("train.hcl"), """
                    job "cds-training" {
                      type = "batch"
                      group "g" {
                        task "t" {
                          driver = "exec"
                          config {
                            command = "true"
                          }
                        }
                      }
                    }
                    """);
            run(env, "job", "run", job.toString());
            run(env, "job", "status");
            run(env, "job", "status", "cds-training");
            run(env, "alloc", "status");
            run(env, "job", "stop", "cds-training");
            Path rules = Files.writeString(work.resolve("rules.hcl"), "node {\n  policy = \"read\"\n}\n");
            run(env, "acl", "policy", "apply", "-description", "training", "training", rules.toString());
            run(env, "acl", "token", "create", "-name", "training", "-type", "client", "-policy", "training");
            run(env, "var", "put", "nomad/jobs/cds-training", "k=v");
            run(env, "var", "get", "nomad/jobs/cds-training");
            run(env, "-h");
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(CdsTraining::delete);
            }
        }
    }

    private static String run(Map<String, String> env, String... args) {
        StringWriter text = new StringWriter();
        PrintWriter writer = new PrintWriter(text, true);
        TaskapiCommand.commandLine(env, args).setOut(writer).setErr(new PrintWriter(Writer.nullWriter()))
                .execute(args);
        writer.flush();
        return text.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a temporary file: the system's to clean
        }
    }
}
