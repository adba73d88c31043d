package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.ApiException;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobspecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's job and allocation routes, through the plugin's chain with ACLs on: over the operator listener (the
 * anonymous policy for no token) and over a running task's own socket (401 without a token), with real processes.
 */
class AgentRoutesTest {
    private static final String SLEEPER = """
            job "sleeper" {
              type = "service"
              group "g" {
                task "sleep" {
                  driver = "exec"
                  config {
                    command = "sleep"
                    args    = ["60"]
                  }
                  identity {
                    env  = true
                    file = true
                  }
                }
              }
            }
            """;

    private static Agent agent;
    private static ApiClient management;

    @BeforeAll
    static void start() throws Exception {
        agent = TestAgents.startDev();
        management = TestAgents.client(agent, Optional.of(TestAgents.bootstrap(agent)));
    }

    @AfterAll
    static void stop() {
        agent.close();
        assertThat(agent.dataDir().root()).doesNotExist();
    }

    @Test
    void operatorListenerChecksTheNamespacePermissionOfEachRoute() throws Exception {
        writePolicy("jobs-read", "namespace \"default\" {\n  policy = \"read\"\n}\n", null);
        String reader = management.write("POST", "/v1/acl/token", tokenRequest("jobs-read")).get("SecretID").asText();
        ApiClient anonymous = TestAgents.client(agent, Optional.empty());
        ApiClient unknown = TestAgents.client(agent, Optional.of(UUID.randomUUID().toString()));
        ApiClient readOnly = TestAgents.client(agent, Optional.of(reader));

        assertThat(TestAgents.status(anonymous, "GET", "/v1/jobs")).isEqualTo(403);
        assertThat(TestAgents.status(unknown, "GET", "/v1/jobs")).isEqualTo(403);
        assertThat(TestAgents.status(readOnly, "GET", "/v1/jobs")).isEqualTo(200);
        assertThat(TestAgents.status(readOnly, "GET", "/v1/allocations")).isEqualTo(200);
        assertThat(TestAgents.status(readOnly, "GET", "/v1/jobs?namespace=other")).isEqualTo(403);
        assertThat(TestAgents.status(readOnly, "PUT", "/v1/jobs")).isEqualTo(403);
        assertThat(TestAgents.status(readOnly, "DELETE", "/v1/job/sleeper")).isEqualTo(403);
        assertThat(TestAgents.status(management, "GET", "/v1/jobs")).isEqualTo(200);
        assertThat(TestAgents.status(management, "GET", "/v1/job/nope")).isEqualTo(404);
        assertThat(TestAgents.status(management, "GET", "/v1/allocation/nope")).isEqualTo(404);
    }

    @Test
    void registrationIsCheckedAgainstThisNode() throws Exception {
        assertThatThrownBy(() -> TestAgents.run(management, SLEEPER.replace("\"exec\"", "\"qemu\"")))
                .isInstanceOf(ApiException.class).hasMessageContaining("no driver \"qemu\" on this node");
        assertThatThrownBy(() -> TestAgents.run(management, SLEEPER.replace("[\"60\"]", "[\"${NOPE}\"]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("config.args[0]: unknown variable ${NOPE}");
        assertThatThrownBy(() -> TestAgents.run(management, SLEEPER.replace("env  = true", "env  = false")
                .replace("[\"60\"]", "[\"${NOMAD_TOKEN}\"]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("NOMAD_TOKEN needs identity { env = true }");
        assertThatThrownBy(() -> TestAgents.run(management, SLEEPER.replace("type = \"service\"",
                "type = \"service\"\n  datacenters = [\"eu-*\"]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("no node in datacenters [eu-*]");
        assertThatThrownBy(() -> TestAgents.run(management, SLEEPER.replace("type = \"service\"",
                "type = \"service\"\n  namespace = \"prod\"")))
                .isInstanceOf(ApiException.class).hasMessageContaining("does not match the request's namespace");
        assertThatThrownBy(() -> management.write("PUT", "/v1/jobs", JsonNodeFactory.instance.objectNode()
                .put("Job", "x"))).isInstanceOf(ApiException.class).hasMessageContaining("missing Job object");
        assertThatThrownBy(() -> management.send("PUT", "/v1/jobs", new byte[0])).isInstanceOf(ApiException.class)
                .hasMessageContaining("Request body is empty");
    }

    @Test
    void aRunningTaskCallsItsOwnSocketWithTheIdentityTheAgentSigned() throws Exception {
        String allocId = TestAgents.run(management, SLEEPER).get(0);
        JsonNode running = TestAgents.await(management, allocId, "running");
        assertThat(running.get("Name").asText()).isEqualTo("sleeper.g[0]");
        Path taskDir = agent.dataDir().allocDir().resolve(allocId).resolve("sleep");
        Path secrets = taskDir.resolve("secrets");
        Path socket = secrets.resolve("api.sock");
        Path tokenFile = secrets.resolve("nomad_token");
        assertThat(socket).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rwxr-xr-x");
        String identity = Files.readString(tokenFile, StandardCharsets.US_ASCII);

        ApiClient none = new ApiClient("unix://" + socket, Optional.empty(), Optional.empty(), false);
        ApiClient stranger = new ApiClient("unix://" + socket, Optional.of(UUID.randomUUID().toString()),
                Optional.empty(), false);
        ApiClient task = new ApiClient("unix://" + socket, Optional.of(identity), Optional.empty(), false);
        assertThat(TestAgents.status(none, "GET", "/v1/jobs")).isEqualTo(401);
        assertThat(TestAgents.status(stranger, "GET", "/v1/jobs")).isEqualTo(403);
        assertThat(TestAgents.status(task, "GET", "/v1/jobs")).isEqualTo(403);
        JsonNode self = task.get("/v1/acl/token/self");
        assertThat(self.get("WorkloadIdentity").get("AllocationID").asText()).isEqualTo(allocId);
        assertThat(self.get("WorkloadIdentity").get("JobID").asText()).isEqualTo("sleeper");

        writePolicy("sleeper-read", "namespace \"default\" {\n  policy = \"read\"\n}\n", "sleeper");
        assertThat(TestAgents.status(task, "GET", "/v1/jobs")).isEqualTo(200);
        assertThat(task.get("/v1/job/sleeper").get("Status").asText()).isEqualTo("running");
        assertThat(TestAgents.status(task, "DELETE", "/v1/job/sleeper")).isEqualTo(403);
        JsonNode jwks = management.get("/.well-known/jwks.json");
        assertThat(jwks.get("keys").findValuesAsText("kid")).contains(
                IdentityKeyring.loadOrCreate(agent.dataDir().keysDir()).keyId());

        management.write("DELETE", "/v1/job/sleeper", null);
        JsonNode stopped = TestAgents.await(management, allocId, "complete", "failed");
        assertThat(stopped.get("ClientStatus").asText()).isEqualTo("complete");
        assertThat(stopped.get("DesiredStatus").asText()).isEqualTo("stop");
        assertThat(management.get("/v1/job/sleeper").get("Status").asText()).isEqualTo("dead");
        // The allocation is terminal: its socket is gone and the plugin refuses its identity everywhere.
        assertThat(socket).doesNotExist();
        ApiClient late = TestAgents.client(agent, Optional.of(identity));
        assertThat(TestAgents.status(late, "GET", "/v1/jobs")).isEqualTo(403);
    }

    @Test
    void aBatchAllocationEndsWithItsTasksAndItsIdentityWithIt() throws Exception {
        String allocId = TestAgents.run(management, """
                job "once" {
                  type = "batch"
                  group "g" {
                    task "t" {
                      driver = "exec"
                      config {
                        command = "true"
                      }
                      identity {
                        file = true
                      }
                    }
                  }
                }
                """).get(0);

        JsonNode done = TestAgents.await(management, allocId, "complete", "failed");

        assertThat(done.get("ClientStatus").asText()).isEqualTo("complete");
        assertThat(done.get("TaskStates").get("t").get("ExitCode").asInt()).isZero();
        Path secrets = agent.dataDir().allocDir().resolve(allocId).resolve("t").resolve("secrets");
        assertThat(secrets.resolve("api.sock")).doesNotExist();
        String identity = Files.readString(secrets.resolve("nomad_token"), StandardCharsets.US_ASCII);
        assertThat(TestAgents.status(TestAgents.client(agent, Optional.of(identity)), "GET", "/v1/acl/token/self"))
                .isEqualTo(403);
    }

    @Test
    void registrationTakesNomadsWrapperEnforcesTheIndexAndAnswersItsEvaluation() throws Exception {
        ObjectNode job = JobJson.write(JobspecParser.parse(SLEEPER.replace("job \"sleeper\"", "job \"cas\"")));

        assertRefused(409, () -> register(job, 5), "Enforcing job modify index 5: job does not exist");
        JsonNode first = register(job, 0);
        long index = first.get("JobModifyIndex").asLong();
        assertRefused(409, () -> register(job, 0), "Enforcing job modify index 0: job already exists");
        assertRefused(409, () -> register(job, index + 7), "Enforcing job modify index " + (index + 7)
                + ": job exists with conflicting job modify index: " + index);
        JsonNode second = register(job, index);
        assertThat(second.get("JobModifyIndex").asLong()).isGreaterThan(index);

        JsonNode evaluation = management.get("/v1/evaluation/" + second.get("EvalID").asText());
        assertThat(evaluation.get("Status").asText()).isEqualTo("complete");
        assertThat(evaluation.get("JobID").asText()).isEqualTo("cas");
        assertThat(evaluation.get("TriggeredBy").asText()).isEqualTo("job-register");
        assertThat(evaluation.get("JobModifyIndex").asLong()).isEqualTo(second.get("JobModifyIndex").asLong());
        assertThat(TestAgents.status(management, "GET", "/v1/evaluation/" + UUID.randomUUID())).isEqualTo(404);
        assertThat(TestAgents.status(management, "GET", "/v1/evaluation/" + second.get("EvalID").asText()
                + "?namespace=other")).isEqualTo(404);

        TestAgents.await(management, second.get("AllocationIDs").get(0).asText(), "running");
        JsonNode summary = management.get("/v1/job/cas/summary");
        assertThat(summary.get("JobID").asText()).isEqualTo("cas");
        assertThat(summary.path("Summary").path("g").path("Running").asInt()).isEqualTo(1);
        assertThat(summary.path("Children").path("Dead").asInt()).isZero();
        JsonNode stub = null;
        for (JsonNode listed : management.get("/v1/jobs")) {
            if (listed.get("ID").asText().equals("cas")) {
                stub = listed;
            }
        }
        assertThat(stub).isNotNull();
        assertThat(stub.get("Priority").asInt()).isEqualTo(50);
        assertThat(stub.get("StatusDescription").asText()).isEmpty();
        assertThat(stub.get("ParentID").asText()).isEmpty();
        assertThat(stub.get("Periodic").asBoolean()).isFalse();
        assertThat(stub.get("ParameterizedJob").asBoolean()).isFalse();
        assertThat(stub.get("JobSummary")).isEqualTo(summary);

        JsonNode stopped = management.write("DELETE", "/v1/job/cas", null);
        JsonNode stop = management.get("/v1/evaluation/" + stopped.get("EvalID").asText());
        assertThat(stop.get("TriggeredBy").asText()).isEqualTo("job-deregister");
        assertThat(stop.get("Status").asText()).isEqualTo("complete");
    }

    @Test
    void unsetFieldsOfNomadsSchemaAreIgnoredAndEverySetOneThisAgentLacksIsNamedInOneAnswer() throws Exception {
        ObjectNode job = JobJson.write(JobspecParser.parse(SLEEPER.replace("job \"sleeper\"", "job \"shapes\"")
                .replace("[\"60\"]", "[\"0\"]").replace("\"service\"", "\"batch\"")));
        ObjectNode group = (ObjectNode) job.get("TaskGroups").get(0);
        ObjectNode task = (ObjectNode) group.get("Tasks").get(0);
        // what Nomad's clients send for "not set": nulls, zero values, canonical defaults, server-side fields
        job.putNull("Meta").put("Priority", 50).put("AllAtOnce", false).put("NodePool", "default")
                .put("Status", "running").put("Version", 3).put("CreateIndex", 9).putNull("Periodic");
        job.putArray("Constraints");
        group.putNull("Networks").putNull("Update").putObject("EphemeralDisk").put("SizeMB", 300)
                .put("Sticky", false);
        task.putNull("Templates").put("KillTimeout", 5_000_000_000L).put("Leader", false).put("KillSignal", "");
        task.putObject("Resources").put("CPU", 100).put("MemoryMB", 300);
        task.putObject("LogConfig").put("MaxFiles", 10).put("MaxFileSizeMB", 10);
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.set("Job", job);
        wrapper.put("PolicyOverride", false).put("PreserveCounts", false).putNull("Submission");
        assertThat(management.write("PUT", "/v1/jobs", wrapper).get("AllocationIDs")).hasSize(1);

        job.putObject("Meta").put("owner", "ops");
        job.put("Priority", 70);
        group.putArray("Networks").addObject().put("Mode", "bridge");
        task.putObject("Resources").put("CPU", 500);
        task.put("Bogus", 1);
        ((ObjectNode) task.get("Identity")).put("TTL", 3_600_000_000_000L);
        wrapper.put("PreserveCounts", true).put("Unheard", "x");
        assertRefused(400, () -> management.write("PUT", "/v1/jobs", wrapper),
                "PreserveCounts: not supported by this agent; unknown field \"Unheard\"");
        wrapper.remove("Unheard");
        wrapper.put("PreserveCounts", false);
        assertRefused(400, () -> management.write("PUT", "/v1/jobs", wrapper),
                "6 fields this agent does not accept: Job.Meta: not supported by this agent; Job.Priority: not"
                        + " supported by this agent; Job.TaskGroups[0].Networks: not supported by this agent;"
                        + " Job.TaskGroups[0].Tasks[0].Identity.TTL: not supported by this agent;"
                        + " Job.TaskGroups[0].Tasks[0].Resources: not supported by this agent;"
                        + " Job.TaskGroups[0].Tasks[0]: unknown field \"Bogus\"");
    }

    private static JsonNode register(ObjectNode job, long jobModifyIndex) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("Job", job);
        body.put("EnforceIndex", true).put("JobModifyIndex", jobModifyIndex).put("PolicyOverride", false);
        return management.write("PUT", "/v1/jobs", body);
    }

    private static void assertRefused(int status, ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static void writePolicy(String name, String rules, String job) throws Exception {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Name", name);
        body.put("Rules", rules);
        if (job != null) {
            body.putObject("JobACL").put("Namespace", "default").put("JobID", job);
        }
        management.write("PUT", "/v1/acl/policy/" + name, body);
    }

    private static ObjectNode tokenRequest(String policy) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Name", "reader");
        body.put("Type", "client");
        body.putArray("Policies").addAll(List.of(JsonNodeFactory.instance.textNode(policy)));
        return body;
    }
}
