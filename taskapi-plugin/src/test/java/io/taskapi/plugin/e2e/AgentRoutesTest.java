package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.api.AgentPermission;
import io.taskapi.spi.api.AgentRequest;
import io.taskapi.spi.api.AgentResponse;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentRouteException;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route an agent adds through the SPI gets the plugin's whole chain: authentication, its permission, errors; and the
 * caller's access, to filter what it shows by namespace.
 */
final class AgentRoutesTest {
    private static final List<AgentRequest> SEEN = new CopyOnWriteArrayList<>();

    private static final AgentRoute REGISTER_JOB = new AgentRoute() {
        @Override
        public String method() {
            return "PUT";
        }

        @Override
        public String path() {
            return "/v1/job/:id";
        }

        @Override
        public AgentPermission permission() {
            return AgentPermission.namespace("submit-job");
        }

        @Override
        public String help() {
            return "Registers a job.";
        }

        @Override
        public AgentResponse handle(AgentRequest request) throws AgentRouteException {
            SEEN.add(request);
            if (request.params().get("id").equals("invalid")) {
                throw new AgentRouteException(400, List.of("job is invalid", "and so is its group"));
            }
            return AgentResponse.json("{\"EvalID\":\"e-" + request.params().get("id") + "\"}");
        }
    };

    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().routes(REGISTER_JOB).build();

    private static TestTask task;

    @BeforeAll
    static void openSocket() throws Exception {
        task = API.newTask("web");
        task.openSocket();
        API.policies().createPolicy("submitter", "namespace \"default\" { capabilities = [\"submit-job\"] }");
    }

    @Test
    void anAgentRouteNeedsACredentialAndItsPermission() throws Exception {
        String submitter = API.tokens().createClientToken("ci", List.of("submitter")).secretId();
        String reader = API.tokens().createClientToken("ro", List.of("nothing")).secretId();

        HttpResponse anonymous = task.client().request("PUT", "/v1/job/web").json("{}").send();
        HttpResponse forbidden = task.client().request("PUT", "/v1/job/web").bearer(reader).json("{}").send();
        HttpResponse otherNamespace = task.client().request("PUT", "/v1/job/web?namespace=prod").bearer(submitter)
                .json("{}").send();
        HttpResponse allowed = task.client().request("PUT", "/v1/job/web?namespace=default&x=1").bearer(submitter)
                .json("{\"Job\":{}}").send();

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(otherNamespace.status()).isEqualTo(403);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json().path("EvalID").asText()).isEqualTo("e-web");
        AgentRequest request = SEEN.get(SEEN.size() - 1);
        assertThat(request.params()).containsEntry("id", "web");
        assertThat(request.firstQuery("x")).contains("1");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"Job\":{}}");
        assertThat(request.caller()).startsWith("token:");
        // The caller's own ACL, for a route that filters by namespace: submit-job in default only.
        assertThat(request.access().allows("default", "submit-job")).isTrue();
        assertThat(request.access().allows("default", "read-job")).isFalse();
        assertThat(request.access().allows("prod", "submit-job")).isFalse();
        assertThatThrownBy(() -> request.access().allows("default", "no-such-capability"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAgentRoutesErrorsUseTheApisShape() throws Exception {
        String management = API.tokens().createManagementToken("admin").secretId();

        HttpResponse invalid = task.client().request("PUT", "/v1/job/invalid").bearer(management).json("{}").send();
        HttpResponse help = task.client().request("PUT", "/v1/job/x?help=1").bearer(management).send();

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("errors")).hasSize(2);
        assertThat(help.json().path("help").asText()).isEqualTo("Registers a job.");
    }
}
