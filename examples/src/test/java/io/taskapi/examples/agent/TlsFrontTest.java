package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.examples.cli.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without -dev the operator API speaks TLS only, with a self-signed certificate made on first start and kept. */
class TlsFrontTest {
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
}
