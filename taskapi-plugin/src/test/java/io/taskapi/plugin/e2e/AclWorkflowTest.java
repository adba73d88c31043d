package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's session as curl runs it: bootstrap, a policy bound to a job, and that job's workload identity
 * allowed exactly what the policy grants, while another job's identity is not. Everything goes to the embedded store.
 */
final class AclWorkflowTest {
    private static final OperatorListener OPERATOR = OperatorListener.onFreePort();

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .config("http.operator-address", OPERATOR.address())
            .embeddedStores()
            .build();

    @Test
    void bootstrapThenAJobPolicyDecidesWhatItsWorkloadsMayDo() throws Exception {
        Curl.Result bootstrap = Curl.toTcp(OPERATOR.address()).method("POST").send("/v1/acl/bootstrap");
        assertThat(bootstrap.status()).as(bootstrap.body()).isEqualTo(200);
        String management = bootstrap.json().path("SecretID").asText();
        assertThat(bootstrap.json().path("Type").asText()).isEqualTo("management");

        Curl.Result again = Curl.toTcp(OPERATOR.address()).method("POST").send("/v1/acl/bootstrap");
        assertThat(again.status()).isEqualTo(400);

        Curl.Result policy = Curl.toTcp(OPERATOR.address()).method("POST")
                .header("X-Nomad-Token: " + management)
                .data("{\"Name\":\"meta-writer\",\"Rules\":\"node { policy = \\\"write\\\" }\","
                        + "\"JobACL\":{\"Namespace\":\"default\",\"JobID\":\"taskapi-example\"}}")
                .send("/v1/acl/policy/meta-writer");
        assertThat(policy.status()).as(policy.body()).isEqualTo(200);

        TestTask example = api.newTask(new TaskRef(UUID.randomUUID().toString(), "default", "taskapi-example",
                "taskapi-example", "taskapi"));
        SocketMount exampleSocket = example.openSocket();
        String exampleIdentity = example.identity();

        Curl.Result allowed = Curl.to(exampleSocket.hostPath()).method("POST")
                .header("Authorization: Bearer " + exampleIdentity)
                .data("{\"Meta\": {\"example\": \"Hello World!\"}}")
                .send("/v1/client/metadata");
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(allowed.json().path("Meta").path("example").asText()).isEqualTo("Hello World!");

        Curl.Result notGranted = Curl.to(exampleSocket.hostPath())
                .header("Authorization: Bearer " + exampleIdentity).send("/v1/acl/tokens");
        assertThat(notGranted.status()).isEqualTo(403);

        TestTask other = api.newTask(new TaskRef(UUID.randomUUID().toString(), "default", "other-job", "web",
                "taskapi"));
        SocketMount otherSocket = other.openSocket();
        Curl.Result otherJob = Curl.to(otherSocket.hostPath()).method("POST")
                .header("Authorization: Bearer " + other.identity())
                .data("{\"Meta\": {\"example\": \"overwritten\"}}")
                .send("/v1/client/metadata");
        assertThat(otherJob.status()).isEqualTo(403);
        assertThat(otherJob.json().path("errors").get(0).asText()).isEqualTo("Permission denied");

        Curl.Result deleted = Curl.toTcp(OPERATOR.address()).method("DELETE")
                .header("X-Nomad-Token: " + management).send("/v1/acl/policy/meta-writer");
        assertThat(deleted.status()).isEqualTo(200);
        Curl.Result afterDelete = Curl.to(exampleSocket.hostPath()).method("POST")
                .header("Authorization: Bearer " + exampleIdentity)
                .data("{\"Meta\": {\"example\": \"again\"}}")
                .send("/v1/client/metadata");
        assertThat(afterDelete.status()).as("policy change applies on the next request").isEqualTo(403);
    }

    @Test
    void aBadPolicyIsRefusedWithItsLineAndColumnAndNothingIsStored() {
        String management = Curl.toTcp(OPERATOR.address()).method("POST").send("/v1/acl/bootstrap").json()
                .path("SecretID").asText();

        Curl.Result bad = Curl.toTcp(OPERATOR.address()).method("POST").header("X-Nomad-Token: " + management)
                .data("{\"Rules\":\"node {\\n  polcy = \\\"write\\\"\\n}\"}")
                .send("/v1/acl/policy/broken");
        Curl.Result list = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + management)
                .send("/v1/acl/policies");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).asText()).contains("2:3");
        assertThat(list.body()).doesNotContain("broken");
    }
}
