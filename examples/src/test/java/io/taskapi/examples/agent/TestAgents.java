package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.ApiException;
import io.taskapi.examples.cli.Main;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobspecParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/** Starting real agents in tests: a free port, ACLs on, bootstrapped. */
public final class TestAgents {
    private TestAgents() {}

    /**
     * @return a dev agent with ACLs enabled on a free loopback port and a temporary data directory
     * @throws IOException when it cannot start
     */
    public static Agent startDev() throws IOException {
        return Agent.start(AgentOptions.dev(true).withPort(freePort()).withMeta(java.util.Map.of("rack", "r1")));
    }

    /**
     * @param agent an agent
     * @param token a token, or empty
     * @return a client for its operator API
     */
    public static ApiClient client(Agent agent, Optional<String> token) {
        return new ApiClient(agent.address(), token, Optional.empty(), false);
    }

    /**
     * @param agent a fresh agent
     * @return its management token's secret
     * @throws Exception when bootstrapping fails
     */
    public static String bootstrap(Agent agent) throws Exception {
        return client(agent, Optional.empty()).write("POST", "/v1/acl/bootstrap", null).get("SecretID").asText();
    }

    /**
     * Registers a job file's job.
     *
     * @param client a client with a token that may submit it
     * @param hcl the job file
     * @return the ids of the allocations placed
     * @throws Exception when the API refuses
     */
    public static List<String> run(ApiClient client, String hcl) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("Job", JobJson.write(JobspecParser.parse(hcl)));
        JsonNode answer = client.write("PUT", "/v1/jobs", body);
        List<String> ids = new java.util.ArrayList<>();
        answer.get("AllocationIDs").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /**
     * @param client a client
     * @param allocId an allocation
     * @param wanted the statuses to wait for
     * @return the allocation once its status is one of them
     * @throws org.awaitility.core.ConditionTimeoutException when it does not get there within 30 s, with the status
     *     it last had
     */
    public static JsonNode await(ApiClient client, String allocId, String... wanted) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    JsonNode alloc = client.get("/v1/allocation/" + allocId);
                    last.set(alloc);
                    assertThat(alloc.get("ClientStatus").asText()).as("the status of allocation %s", allocId)
                            .isIn((Object[]) wanted);
                });
        return last.get();
    }

    /**
     * @param client a client
     * @param method a method
     * @param path a path
     * @return the status the API answers with
     * @throws IOException when it cannot be reached
     */
    public static int status(ApiClient client, String method, String path) throws IOException {
        try {
            return client.send(method, path, method.equals("GET") || method.equals("DELETE") ? null
                    : "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).status();
        } catch (ApiException e) {
            return e.status();
        }
    }

    /**
     * @return a free loopback port
     * @throws IOException when none can be had
     */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** An agent run as its own process, as an operator runs {@code taskapi agent}: TLS unless {@code -dev}. */
    public static final class AgentProcess {
        private final Process process;
        private final String address;
        private final Path ca; // null in -dev

        private AgentProcess(Process process, String address, Path ca) {
            this.process = process;
            this.address = address;
            this.ca = ca;
        }

        /**
         * Starts {@code taskapi agent -data-dir DIR -port PORT} with these flags and waits until it answers.
         *
         * @param dataDir its data directory; its output goes to a log file beside it
         * @param port its operator port
         * @param flags more flags
         * @return the running agent
         * @throws IOException when it cannot be started
         */
        public static AgentProcess start(Path dataDir, int port, String... flags) throws IOException {
            return start(dataDir, port, List.of(), flags);
        }

        /**
         * As {@link #start(Path, int, String...)}, checking that it answers with these curl options too (a client
         * certificate, say).
         *
         * @param dataDir its data directory; its output goes to a log file beside it
         * @param port its operator port
         * @param curlOptions what curl needs to be answered
         * @param flags more flags
         * @return the running agent
         * @throws IOException when it cannot be started
         */
        public static AgentProcess start(Path dataDir, int port, List<String> curlOptions, String... flags)
                throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "agent",
                    "-data-dir", dataDir.toString(), "-bind", "127.0.0.1", "-port", Integer.toString(port)));
            if (!List.of(flags).contains("-node")) {
                command.addAll(List.of("-node", "process-node"));
            }
            command.addAll(List.of(flags));
            Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            boolean dev = List.of(flags).contains("-dev");
            AgentProcess agent = new AgentProcess(process, (dev ? "http" : "https") + "://127.0.0.1:" + port,
                    dev ? null : dataDir.resolve("tls/agent.crt"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> {
                        assertThat(process.isAlive()).as("the agent process (its log: %s)", log).isTrue();
                        List<String> options = new ArrayList<>(dev ? List.of() : List.of("--cacert",
                                agent.ca.toString()));
                        options.addAll(curlOptions);
                        assertThat(curl(agent.address + "/v1/agent/health", options.toArray(String[]::new)))
                                .isEqualTo("200");
                    });
            return agent;
        }

        /** @return its process */
        public Process process() {
            return process;
        }

        /**
         * @param token a token, or empty
         * @return a client that trusts the agent's certificate
         */
        public ApiClient client(Optional<String> token) {
            return new ApiClient(address, token, Optional.ofNullable(ca), false);
        }

        /** SIGTERM, and waits for the agent to end. */
        public void terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the agent did not stop within 60 s of SIGTERM");
            }
        }

        /** SIGKILL, as an OOM kill or a crash ends it, and waits for it to be gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * @param dir a directory
     * @return every process whose working directory or command line is in it (a task of an agent using it)
     */
    public static List<ProcessHandle> processesUnder(Path dir) {
        String prefix = dir.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid()).filter(p -> {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            try {
                if (Files.readSymbolicLink(proc.resolve("cwd")).toString().startsWith(prefix)) {
                    return true;
                }
                return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                        .contains(prefix);
            } catch (IOException e) {
                return false; // gone, or not ours to read
            }
        }).toList();
    }

    /**
     * @param url what to fetch
     * @param options more curl options
     * @return the HTTP status curl saw, or {@code curl exit N} when it got none
     * @throws IOException when curl cannot run
     * @throws InterruptedException when interrupted
     */
    public static String curl(String url, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "--max-time", "10", "-w",
                "%{http_code}"));
        command.addAll(List.of(options));
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 ? output : "curl exit " + process.exitValue() + " " + output;
    }
}
