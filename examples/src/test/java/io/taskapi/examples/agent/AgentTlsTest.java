package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.examples.cli.ApiClient;
import io.taskapi.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
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
                TestAgents.freePort(), "global", "dc1", "tls-node", "", Map.of(), AgentOptions.Tls.GENERATED,
                Optional.empty(), Map.of(), Map.of(), Optional.empty());
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
        TestAgents.AgentProcess agent = TestAgents.AgentProcess.start(dataDir, port, "-acl-enabled");
        try {
            String url = "https://127.0.0.1:" + port + "/v1/agent/health";
            Path ca = dataDir.resolve("tls/agent.crt");
            assertThat(TestAgents.curl(url, "--cacert", ca.toString())).isEqualTo("200");
            assertThat(TestAgents.curl("http://127.0.0.1:" + port + "/v1/agent/health"))
                    .as("plain HTTP to the TLS port").isNotEqualTo("200");
            assertThat(TestAgents.curl(url)).as("without the agent's CA").isNotEqualTo("200");
            assertThat(listeningTcpPorts(agent.process().pid())).as("the agent's listening TCP ports")
                    .containsExactly(port);
        } finally {
            agent.terminate();
        }
    }

    @Test
    void withClientVerificationOnAClientWithoutACertificateSignedByTheCaIsRefused(@TempDir Path pkiDir)
            throws Exception {
        TestPki clients = TestPki.ca(pkiDir, "clients");
        Path operator = clients.leaf("operator", "clientAuth");
        TestPki strangers = TestPki.ca(pkiDir, "strangers");
        Path stranger = strangers.leaf("stranger", "clientAuth");
        int port = TestAgents.freePort();
        List<String> withCertificate = List.of("--cert", operator.toString(), "--key",
                TestPki.keyOf(operator).toString());
        TestAgents.AgentProcess agent = TestAgents.AgentProcess.start(dataDir, port, withCertificate,
                "-tls-verify-https-client", "-tls-ca-file", clients.caCert().toString());
        try {
            String url = "https://127.0.0.1:" + port + "/v1/agent/health";
            String ca = dataDir.resolve("tls/agent.crt").toString();
            assertThat(TestAgents.curl(url, "--cacert", ca, "--cert", operator.toString(), "--key",
                    TestPki.keyOf(operator).toString())).isEqualTo("200");
            assertThat(TestAgents.curl(url, "--cacert", ca)).as("no client certificate").startsWith("curl exit");
            assertThat(TestAgents.curl(url, "--cacert", ca, "--cert", stranger.toString(), "--key",
                    TestPki.keyOf(stranger).toString())).as("a certificate another CA signed").startsWith("curl exit");
        } finally {
            agent.terminate();
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
}
