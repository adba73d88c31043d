package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A workload identity signed with a good key but naming another job, group or task than its allocation runs is
 * refused over a real task socket: the signature alone does not bind a job's policies to an allocation.
 */
final class IdentityAllocationMatchTest {
    private static final String REFUSAL = "Permission denied: identity does not match its allocation";

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    @ParameterizedTest(name = "{0} = {1}: 403, the task's own identity: 200")
    @CsvSource({"nomad_job_id, billing", "nomad_task, admin", "nomad_namespace, prod"})
    void anIdentityClaimingWhatItsAllocationDoesNotRunIsRefusedAndTheRightOnePasses(String claim, String value)
            throws Exception {
        TestTask task = api.newTask("web");
        task.openSocket();
        String forged = task.identityBuilder().claim(claim, value).sign();

        HttpResponse refused = task.client().get("/v1/agent/health").bearer(forged).send();
        HttpResponse genuine = task.client().get("/v1/agent/health").bearer(task.identity()).send();

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("errors")).hasSize(1);
        assertThat(refused.json().path("errors").get(0).asText()).isEqualTo(REFUSAL);
        assertThat(refused.body()).doesNotContain(forged.split("\\.")[1]);
        assertThat(genuine.status()).isEqualTo(200);
    }

    @Test
    void refusalsAreCountedUnderTheirOwnReason() throws Exception {
        TestTask task = api.newTask("web");
        task.openSocket();
        task.client().get("/v1/agent/health").bearer(task.identityBuilder().claim("nomad_job_id", "billing").sign())
                .send();
        String management = api.tokens().createManagementToken("scraper").secretId();

        HttpResponse scrape = task.client().get("/v1/metrics?format=prometheus").bearer(management).send();

        assertThat(scrape.body()).contains("taskapi_auth_failures_total{reason=\"allocation_mismatch\"} 1");
    }
}
