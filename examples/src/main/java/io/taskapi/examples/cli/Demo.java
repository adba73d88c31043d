package io.taskapi.examples.cli;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.agent.Agent;
import io.taskapi.examples.agent.AgentOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The newcomer's tour, end to end in one process: a dev agent with ACLs on, the bootstrap token, a policy that lets
 * the {@code taskapi-example} job's workload identity write node metadata, the seed's job (curl inside the task calls
 * {@code ${NOMAD_SECRETS_DIR}/api.sock} with {@code Authorization: Bearer ${NOMAD_TOKEN}}), and the node found by
 * {@code node status -filter 'Meta.example == "Hello World!"'}. Every step runs the real CLI command against the real
 * agent and prints what it printed. Secrets (the management token, the task's identity in curl's verbose output) are
 * shown redacted. The agent is stopped and its temporary directory removed at the end, whatever happened.
 */
public final class Demo {
    /** The job file, relative to the repository root. */
    public static final String JOB_FILE = "examples/jobs/taskapi-example.hcl";
    /** The policy the demo binds to the job. */
    public static final String POLICY = "node {\n  policy = \"write\"\n}\n";

    private static final Pattern SECRET_ID = Pattern.compile("(?m)^(Secret ID\\s+=\\s+)(\\S+)$");
    private static final Pattern BEARER = Pattern.compile("(?i)(Authorization: Bearer )\\S+");
    private static final int STEPS = 6;

    private final PrintWriter out;
    private final Map<String, String> environment;

    /**
     * How the demo went.
     *
     * @param exitCode 0 when the node was found
     * @param nodeFound whether {@code node status -filter 'Meta.example == "Hello World!"'} listed this node
     * @param allocationStatus the job's allocation's final status
     * @param taskStdout the task's standard output (curl's answer body)
     * @param taskStderr the task's standard error (curl's verbose trace), the token redacted
     * @param dataDir the agent's temporary data directory (gone once the demo returns)
     */
    public record Result(int exitCode, boolean nodeFound, String allocationStatus, String taskStdout,
                         String taskStderr, Path dataDir) {}

    /**
     * @param out where each step is printed
     * @param environment the environment the CLI commands start from (NOMAD_ADDR and NOMAD_TOKEN are set by the demo)
     */
    public Demo(PrintWriter out, Map<String, String> environment) {
        this.out = requireNonNull(out, "out is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /**
     * @param jobFile the job file (the exec variant of the seed's job)
     * @param port the operator API's port; 0 picks a free one
     * @return how it went
     * @throws IOException when the agent cannot start or a file cannot be read
     */
    public Result run(Path jobFile, int port) throws IOException {
        requireNonNull(jobFile, "jobFile is null");
        if (!Files.isRegularFile(jobFile)) {
            throw new IOException("job file not found: " + jobFile + " (run from the repository root, or pass -job)");
        }
        int chosen = port == 0 ? freePort() : port;
        step(1, "Starting a dev agent with ACLs enabled (in this process)");
        shell("taskapi agent -dev -acl-enabled -port " + chosen);
        Agent agent;
        try {
            agent = Agent.start(AgentOptions.dev(true).withPort(chosen));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot start the agent on 127.0.0.1:" + chosen + ": " + e.getMessage()
                    + (port == AgentOptions.DEFAULT_PORT ? " (another agent on 4646? try: taskapi demo -port 0)" : ""),
                    e);
        }
        Path dataDir = agent.dataDir().root();
        try {
            indent(String.format("Node %s (%s), data dir %s, API %s, drivers %s%n", agent.node().id(),
                    agent.node().name(), dataDir, agent.address(), String.join(", ", agent.drivers())));
            return tour(agent, jobFile, dataDir);
        } finally {
            step(STEPS, "Stopping the agent: its tasks, its sockets, its temporary data directory");
            agent.close();
            indent("Agent stopped; " + dataDir + (Files.exists(dataDir) ? " is still there" : " removed") + "\n");
            out.flush();
        }
    }

    private Result tour(Agent agent, Path jobFile, Path dataDir) throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.put("NOMAD_ADDR", agent.address());
        env.remove("NOMAD_TOKEN");

        step(2, "Bootstrapping ACLs: the management token goes into NOMAD_TOKEN for the next steps");
        Run bootstrap = cli(env, "acl", "bootstrap");
        Matcher secret = SECRET_ID.matcher(bootstrap.output());
        if (bootstrap.code() != 0 || !secret.find()) {
            return failed(dataDir, "bootstrap failed");
        }
        env.put("NOMAD_TOKEN", secret.group(2));

        step(3, "A policy for the job's workload identity: node write, so its task may set node metadata");
        Path policyFile = dataDir.resolve("taskapi-example-node.policy.hcl");
        Files.writeString(policyFile, POLICY, StandardCharsets.UTF_8);
        shell("cat " + policyFile.getFileName());
        indent(POLICY);
        if (cli(env, "acl", "policy", "apply", "-namespace", "default", "-job", "taskapi-example",
                "taskapi-example-node", policyFile.toString()).code() != 0) {
            return failed(dataDir, "policy apply failed");
        }

        step(4, "Running the seed's job: curl in the task calls ${NOMAD_SECRETS_DIR}/api.sock with "
                + "\"Authorization: Bearer ${NOMAD_TOKEN}\"");
        Path cwd = Path.of("").toAbsolutePath();
        Path shown = jobFile.toAbsolutePath().normalize();
        Run job = cli(env, "job", "run", (shown.startsWith(cwd) ? cwd.relativize(shown) : shown).toString());
        Run allocs = quietCli(env, "alloc", "status", "-json");
        String allocId = firstMatch(allocs.output(), "\"ID\"\\s*:\\s*\"([0-9a-f-]{36})\"").orElse("");
        String status = firstMatch(allocs.output(), "\"ClientStatus\"\\s*:\\s*\"(\\w+)\"").orElse("unknown");
        Path logs = dataDir.resolve("alloc").resolve(allocId).resolve("taskapi").resolve("logs");
        String stdout = read(logs.resolve("taskapi.stdout.0"));
        String stderr = redact(read(logs.resolve("taskapi.stderr.0")));
        shell("cat alloc/" + Format.shortId(allocId) + "…/taskapi/logs/taskapi.stderr.0   # curl --verbose,"
                + " the identity redacted");
        indent(curlTrace(stderr));
        shell("cat alloc/" + Format.shortId(allocId) + "…/taskapi/logs/taskapi.stdout.0   # the API's answer");
        indent(stdout.endsWith("\n") || stdout.isEmpty() ? stdout : stdout + "\n");
        if (job.code() != 0) {
            return failed(dataDir, "the job did not complete (allocation " + status + ")");
        }

        step(5, "Finding the node by the metadata the task set");
        Run nodes = cli(env, "node", "status", "-filter", "Meta.example == \"Hello World!\"");
        boolean found = nodes.code() == 0 && nodes.output().contains(Format.shortId(agent.node().id()));
        out.printf("%n==> %s%n", found ? "Found it: the task set Meta.example = \"Hello World!\" on node "
                + Format.shortId(agent.node().id()) + " through its own Task API socket."
                : "The node was not found: see the output above.");
        return new Result(found ? 0 : 1, found, status, stdout, stderr, dataDir);
    }

    private Result failed(Path dataDir, String why) {
        out.printf("%n==> Demo failed: %s%n", why);
        return new Result(1, false, "unknown", "", "", dataDir);
    }

    /**
     * The interesting lines of curl's trace: the connection, the request, the status line. Without a terminal curl
     * also draws its progress meter on stderr, with carriage returns and no newline, so a trace line may follow the
     * meter on the same line: each is taken from where it starts.
     */
    private static String curlTrace(String stderr) {
        StringBuilder out = new StringBuilder();
        for (String line : stderr.split("[\r\n]+")) {
            int status = line.indexOf("< HTTP/");
            if (status >= 0) {
                out.append(line.substring(status)).append('\n');
            } else if (line.startsWith("> ") || line.startsWith("* Connected")) {
                out.append(line).append('\n');
            }
        }
        return out.length() == 0 ? stderr : out.toString();
    }

    private record Run(int code, String output) {}

    /** Runs a CLI command in this process, printing it as a shell line and its output indented. */
    private Run cli(Map<String, String> env, String... args) {
        List<String> shown = new ArrayList<>();
        for (String arg : args) {
            shown.add(arg.matches("[A-Za-z0-9_./=:-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        shell("taskapi " + String.join(" ", shown));
        Run run = quietCli(env, args);
        indent(SECRET_ID.matcher(run.output()).replaceAll("$1<redacted: kept in NOMAD_TOKEN for the next steps>"));
        return run;
    }

    private static Run quietCli(Map<String, String> env, String... args) {
        StringWriter text = new StringWriter();
        PrintWriter writer = new PrintWriter(text, true);
        CommandLine command = TaskapiCommand.commandLine(env, args).setOut(writer).setErr(writer);
        int code = command.execute(args);
        writer.flush();
        return new Run(code, text.toString());
    }

    private void step(int number, String title) {
        out.printf("%n==> [%d/%d] %s%n", number, STEPS, title);
        out.flush();
    }

    private void shell(String line) {
        out.println("    $ " + line);
        out.flush();
    }

    private void indent(String text) {
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.println("      " + line);
            }
        }
        out.flush();
    }

    private static String redact(String text) {
        return BEARER.matcher(text).replaceAll("$1<workload identity, redacted>");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<String> firstMatch(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
