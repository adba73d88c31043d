package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.ApiException;
import io.taskapi.examples.driver.docker.DockerDriver;
import io.taskapi.spi.driver.DriverHealth;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each driver's fingerprint in the node's {@code Drivers} (Nomad's shape) and attributes, and no placement on an
 * unhealthy driver: a docker driver with no engine, and a driver whose health comes back.
 */
final class AgentDriverHealthTest {
    @TempDir
    Path dir;

    /** A driver whose health the test sets; it starts nothing. */
    private static final class Switchable implements TaskDriver {
        final AtomicBoolean healthy = new AtomicBoolean();

        @Override
        public String name() {
            return "switchable";
        }

        @Override
        public FilesystemIsolation isolation() {
            return FilesystemIsolation.NONE;
        }

        @Override
        public DriverHealth fingerprint() {
            return healthy.get()
                    ? DriverHealth.healthy("Healthy").withAttributes(Map.of("driver.switchable.mode", "on"))
                    : DriverHealth.unhealthy("switched off");
        }

        @Override
        public RunningTask start(TaskLaunch launch) throws TaskDriverException {
            throw new TaskDriverException("this test starts nothing");
        }
    }

    private static String job(String driver) {
        return """
                job "health" {
                  type = "batch"
                  group "g" {
                    task "t" {
                      driver = "%s"
                      config {
                        image = "curlimages/curl:7.87.0"
                      }
                    }
                  }
                }
                """.formatted(driver);
    }

    @Test
    void theNodeShowsEachDriversHealthAndNoTaskIsPlacedOnAnUnhealthyOne() throws Exception {
        Path absent = dir.resolve("docker.sock");
        Switchable switchable = new Switchable();
        DriverCatalog drivers = DriverCatalog.of(List.of(
                new DockerDriver(absent, Duration.ofSeconds(1), Duration.ofSeconds(2)), switchable));
        try (Agent agent = Agent.start(AgentOptions.dev(false).withPort(TestAgents.freePort()), drivers)) {
            ApiClient client = TestAgents.client(agent, Optional.empty());

            JsonNode stub = client.get("/v1/nodes").get(0);
            JsonNode docker = stub.path("Drivers").path("docker");
            assertThat(docker.path("Detected").asBoolean()).isTrue();
            assertThat(docker.path("Healthy").asBoolean()).isFalse();
            assertThat(docker.path("HealthDescription").asText()).startsWith("Docker engine at " + absent
                    + " does not answer");
            assertThat(Instant.parse(docker.path("UpdateTime").asText())).isBeforeOrEqualTo(Instant.now());
            assertThat(stub.path("Drivers").path("switchable").path("Healthy").asBoolean()).isFalse();

            assertThatThrownBy(() -> TestAgents.run(client, job("docker"))).isInstanceOfSatisfying(
                    ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(String.join(" ", e.messages())).contains("task \"t\": driver \"docker\" is not"
                                + " healthy on this node (Docker engine at " + absent + " does not answer");
                    });
            assertThatThrownBy(() -> TestAgents.run(client, job("switchable"))).isInstanceOfSatisfying(
                    ApiException.class, e -> assertThat(String.join(" ", e.messages()))
                            .contains("driver \"switchable\" is not healthy on this node (switched off)"));

            // Healthy again: the next registration looks again rather than waiting for the periodic fingerprint.
            switchable.healthy.set(true);
            assertThat(TestAgents.run(client, job("switchable"))).hasSize(1);

            JsonNode node = client.get("/v1/node/" + agent.node().id());
            assertThat(node.path("Drivers").path("switchable").path("Healthy").asBoolean()).isTrue();
            assertThat(node.path("Drivers").path("switchable").path("HealthDescription").asText())
                    .isEqualTo("Healthy");
            assertThat(node.path("Drivers").path("switchable").path("Attributes").path("driver.switchable.mode")
                    .asText()).isEqualTo("on");
            assertThat(node.path("Attributes").path("driver.switchable").asText()).isEqualTo("1");
            assertThat(node.path("Attributes").path("driver.switchable.mode").asText()).isEqualTo("on");
            assertThat(node.path("Attributes").path("driver.docker").asText()).as("detected").isEqualTo("1");
            assertThat(node.path("Attributes").has("driver.docker.version")).isFalse();
        }
        assertThat(Files.exists(absent)).isFalse();
    }
}
