package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.examples.cli.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** A group's {@code restart} block, as a real agent runs it with a real exec task. */
class AgentRestartPolicyTest {
    @Test
    void aTaskThatKeepsFailingIsRestartedTwiceWithTheSameSocketAndIdentityThenFails() throws Exception {
        try (Agent agent = TestAgents.startDev()) {
            ApiClient api = TestAgents.client(agent, Optional.of(TestAgents.bootstrap(agent)));
            // Each attempt notes its socket's inode and its identity, then fails.
            String allocId = TestAgents.run(api, """
                    job "flaky" {
                      type = "batch"
                      group "g" {
                        restart {
                          attempts = 2
                          delay    = "1s"
                          interval = "1m"
                          mode     = "fail"
                        }
                        task "t" {
                          driver = "exec"
                          config {
                            command = "/bin/sh"
                            args    = ["-c", "echo $(stat -c %i secrets/api.sock) $(cat secrets/nomad_token) >> $NOMAD_ALLOC_DIR/attempts; exit 1"]
                          }
                          identity {
                            file = true
                          }
                        }
                      }
                    }
                    """).get(0);

            JsonNode task = TestAgents.await(api, allocId, "failed").get("TaskStates").get("t");

            assertThat(task.get("ExitCode").asInt()).isEqualTo(1);
            assertThat(task.get("Restarts").asInt()).isEqualTo(2);
            List<String> events = StreamSupport.stream(task.get("Events").spliterator(), false)
                    .map(e -> e.get("Type").asText() + ": " + e.get("DisplayMessage").asText())
                    .filter(e -> e.startsWith("Terminated") || e.contains("Restarting")).toList();
            assertThat(events).containsExactly("Terminated: Exit Code: 1", "Restarting: Task restarting in 1s",
                    "Terminated: Exit Code: 1", "Restarting: Task restarting in 1s",
                    "Terminated: Exit Code: 1",
                    "Not Restarting: Exceeded allowed attempts 2 in interval 1m0s and mode is \"fail\"");
            Path attempts = agent.dataDir().allocDir().resolve(allocId).resolve("alloc/attempts");
            List<String> lines = Files.readAllLines(attempts, StandardCharsets.US_ASCII);
            assertThat(lines).hasSize(3);
            assertThat(Set.copyOf(lines)).as("the socket's inode and the identity in every attempt").hasSize(1);
            assertThat(lines.get(0)).matches("[0-9]+ [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        }
    }
}
