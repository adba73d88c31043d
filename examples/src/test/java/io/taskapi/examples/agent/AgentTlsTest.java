package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without -dev the plugin's operator listener serves TLS itself, with a self-signed certificate made on first start
 * and kept: the agent, run as its own process, listens on no plain-HTTP TCP port at all.
 */
class AgentTlsTest {
    @TempDir
    Path dataDir;

    @Test
    void servesTheApiOverTlsWithAGeneratedCertificate() throws Exception {
        AgentOptions options = new AgentOptions(false, Optional.of(dataDir), true, "127.0.0.1",
                TestAgents.freePort(), "global", "dc1", "tls-node", "", Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty());
        String firstCertificate;
        try (Agent agent = Agent.start(options)) {
            assertThat(agent.address()).startsWith("https://127.0.0.1:");
            Path ca = agent.caCertificate().orElseThrow();
            firstCertificate = Files.readString(ca);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dataDir.resolve("tls/agent.key")))).isEqualTo("rw-------");
            ApiClient trusted = new ApiClient(agent.address(), Optional.empty(), Optional.of(ca), false);

            String secret = trusted.write("POST", "/v1/acl/bootstrap", null).get("SecretID").asText();
            ApiClient management = new ApiClient(agent.address(), Optional.of(secret), Optional.of(ca), false);
            assertThat(management.get("/v1/nodes").get(0).get("Name").asText()).isEqualTo("tls-node");

            // A client that does not trust the certificate refuses it.
            ApiClient untrusting = new ApiClient(agent.address(), Optional.of(secret), Optional.empty(), false);
            assertThatThrownBy(() -> untrusting.get("/v1/nodes")).isInstanceOf(IOException.class);
        }
        try (Agent again = Agent.start(options)) {
            assertThat(Files.readString(again.caCertificate().orElseThrow())).isEqualTo(firstCertificate);
            assertThat(dataDir).exists();
        }
    }

    @Test
    void theAgentProcessListensOnItsTlsPortOnlyAndPlainHttpThereFails() throws Exception {
        int port = TestAgents.freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "agent", "-acl-enabled", "-data-dir", dataDir.toString(), "-bind", "127.0.0.1",
                "-port", Integer.toString(port), "-node", "tls-process");
        Process agent = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()).start();
        try {
            String url = "https://127.0.0.1:" + port + "/v1/agent/health";
            Path ca = dataDir.resolve("tls/agent.crt");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(agent.isAlive()).isTrue();
                assertThat(curl(url, "--cacert", ca.toString())).isEqualTo("200");
            });

            assertThat(curl("http://127.0.0.1:" + port + "/v1/agent/health")).as("plain HTTP to the TLS port")
                    .isNotEqualTo("200");
            assertThat(curl(url)).as("without the agent's CA").isNotEqualTo("200");
            assertThat(listeningTcpPorts(agent.pid())).as("the agent's listening TCP ports")
                    .containsExactly(port);
        } finally {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The ports of the TCP sockets in LISTEN state that the process holds, from /proc. */
    private static Set<Integer> listeningTcpPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // local_address is field 1 (hex address:port), st field 3 (0A = LISTEN), inode field 9
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String local = fields[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** @return the HTTP status curl saw, or {@code curl exit N} when it got none */
    private static String curl(String url, String... options) throws IOException, InterruptedException {
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
