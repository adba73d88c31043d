package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.cli.ApiClient;
import io.taskapi.examples.cli.ApiException;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobspecParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
}
