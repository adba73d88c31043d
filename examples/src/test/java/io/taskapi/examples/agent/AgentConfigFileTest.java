package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskapi agent -config FILE}: Nomad-shaped files, read strictly, merged, overridden by flags. */
class AgentConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void readsEverySettingAndResolvesPathsAgainstTheFilesDirectory() throws Exception {
        Path file = write("agent.hcl", """
                data_dir   = "data"
                region     = "eu"
                datacenter = "dc2"
                name       = "node-a"
                bind_addr  = "127.0.0.2"
                plugin_dir = "/opt/plugins"
                ports { http = 5656 }
                acl { enabled = true }
                client {
                  node_class = "edge"
                  meta {
                    rack = "r1"
                  }
                }
                tls {
                  cert_file           = "tls/a.crt"
                  key_file            = "tls/a.key"
                  ca_file             = "tls/ca.crt"
                  verify_https_client = true
                }
                plugin "docker" {
                  config {
                    endpoint = "unix:///run/docker.sock"
                    volumes  = { enabled = false }
                  }
                }
                taskapi {
                  socket { max-connections = 32 }
                  identity { cache-ttl = "1m" }
                }
                """);

        AgentConfigFile.Settings settings = AgentConfigFile.read(List.of(file));

        assertThat(settings.dataDir()).contains(dir.resolve("data"));
        assertThat(settings.region()).contains("eu");
        assertThat(settings.datacenter()).contains("dc2");
        assertThat(settings.nodeName()).contains("node-a");
        assertThat(settings.bindAddr()).contains("127.0.0.2");
        assertThat(settings.pluginDir()).contains(Path.of("/opt/plugins"));
        assertThat(settings.httpPort()).contains(5656);
        assertThat(settings.aclEnabled()).contains(true);
        assertThat(settings.nodeClass()).contains("edge");
        assertThat(settings.meta()).containsExactly(Map.entry("rack", "r1"));
        assertThat(settings.tlsCertFile()).contains(dir.resolve("tls/a.crt"));
        assertThat(settings.tlsCaFile()).contains(dir.resolve("tls/ca.crt"));
        assertThat(settings.verifyHttpsClient()).contains(true);
        assertThat(settings.drivers()).containsExactly(Map.entry("docker", Map.of("endpoint",
                "unix:///run/docker.sock", "volumes", Map.of("enabled", false))));
        assertThat(settings.taskApi()).containsExactly(Map.entry("socket.max-connections", "32"),
                Map.entry("identity.cache-ttl", "1m"));
    }

    @Test
    void laterFilesOverrideEarlierOnesAndJsonIsReadToo() throws Exception {
        Path first = write("a.hcl", "name = \"first\"\nregion = \"eu\"\nclient {\n  meta {\n    a = \"1\"\n  }\n}\n");
        Path second = write("b.json", """
                {"name": "second", "client": {"meta": {"b": "2"}}, "taskapi": {"http": {"max-body-bytes": 2048}}}
                """);

        AgentConfigFile.Settings settings = AgentConfigFile.read(List.of(first, second));

        assertThat(settings.nodeName()).contains("second");
        assertThat(settings.region()).contains("eu");
        assertThat(settings.meta()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(settings.taskApi()).containsExactly(Map.entry("http.max-body-bytes", "2048"));
    }

    @Test
    void everyProblemOfEveryFileIsReportedAtOnceWithFileLineAndKey() throws Exception {
        Path hcl = write("bad.hcl", """
                regon = "eu"
                ports { http = 70000 }
                acl { enabled = "yes" }
                taskapi {
                  http { operator-address = "0.0.0.0:1" }
                  sockets { x = 1 }
                }
                """);
        Path json = write("bad.json", "{\"name\": 7,\n \"tls\": {\"verify\": true}}");

        assertThatThrownBy(() -> AgentConfigFile.read(List.of(hcl, json)))
                .isInstanceOf(AgentConfigFile.InvalidException.class)
                .hasMessage(String.join("\n",
                        hcl + ":1:1: unknown key \"regon\" in agent configuration",
                        hcl + ":2:16: ports.http must be between 0 and 65535",
                        hcl + ":3:17: \"enabled\" must be a bool, found string",
                        hcl + ":5:29: http.operator-address is set by the agent from its own options (bind_addr,"
                                + " ports, tls, acl, data_dir); set those instead",
                        hcl + ":6:3: unknown key \"sockets\" in taskapi block",
                        json + ":1:10: \"name\" must be a string, found number",
                        json + ":2:10: unknown key \"verify\" in tls block"));
    }

    @Test
    void theAgentRunsWithAFilesSettingsFlagsWinAndABadFileStopsItWithEveryProblem() throws Exception {
        Path file = write("agent.hcl", """
                name       = "from-file"
                datacenter = "dc9"
                client {
                  meta { rack = "r7" }
                }
                taskapi {
                  http { max-body-bytes = 2048 }
                }
                """);
        int port = TestAgents.freePort();
        Path data = Files.createDirectory(dir.resolve("data"));
        TestAgents.AgentProcess agent = TestAgents.AgentProcess.start(data, port, "-acl-enabled", "-config",
                file.toString(), "-dc", "dc-flag");
        try {
            String management = agent.client(Optional.empty()).write("POST", "/v1/acl/bootstrap", null)
                    .get("SecretID").asText();
            ApiClient api = agent.client(Optional.of(management));
            JsonNode node = api.get("/v1/nodes").get(0);
            // -node given by the test harness wins over the file's name; -dc on the command line over datacenter.
            assertThat(node.get("Name").asText()).isEqualTo("process-node");
            assertThat(node.get("Datacenter").asText()).isEqualTo("dc-flag");
            assertThat(api.get("/v1/node/" + node.get("ID").asText()).get("Meta").get("rack").asText())
                    .isEqualTo("r7");
            // The plugin got the file's setting: a body over 2048 bytes is refused.
            assertThat(TestAgents.status(api, "PUT", "/v1/var/nomad/jobs/big?cas=0")).isNotEqualTo(413);
            com.fasterxml.jackson.databind.node.ObjectNode big = com.fasterxml.jackson.databind.node.JsonNodeFactory
                    .instance.objectNode();
            big.putObject("Items").put("blob", "x".repeat(4096));
            assertThatThrownBy(() -> api.write("PUT", "/v1/var/nomad/jobs/big", big))
                    .hasMessageContaining("413");
        } finally {
            agent.terminate();
        }

        Path bad = write("bad.hcl", "name = 1\nplugin \"exec\" {\n  config { x = 1 }\n}\n");
        Process process = new ProcessBuilder(agentCommand("-dev", "-config", bad.toString())).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(stderr).contains("Error reading the agent configuration:", bad + ":1:8: \"name\" must be a string,"
                + " found number");

        Path refused = write("refused.hcl", "plugin \"exec\" {\n  config { x = 1 }\n}\n");
        Process refusedByDriver = new ProcessBuilder(agentCommand("-dev", "-port", Integer.toString(port),
                "-config", refused.toString())).start();
        assertThat(refusedByDriver.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refusedByDriver.exitValue()).isEqualTo(1);
        assertThat(new String(refusedByDriver.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("plugin \"exec\": driver exec takes no configuration, but got [x]");
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<String> agentCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "agent"));
        command.addAll(List.of(args));
        return command;
    }
}
