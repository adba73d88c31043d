package io.taskapi.plugin.api.variables;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.acl.WorkloadClaim;
import io.taskapi.plugin.auth.WorkloadIdentity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The claim a workload identity makes for its implicit nomad/jobs access. */
final class VariableRequestsTest {
    private static final Acl NO_POLICIES = Acl.denyAll();

    @Test
    void aNomadShapedSubjectGivesTheGroupAndEveryImplicitPath() {
        Optional<WorkloadClaim> claim = VariableRequests.claim(identity("global:prod:web:g:t:default"));

        assertThat(claim).contains(new WorkloadClaim("prod", "web", "g", "t"));
        for (String path : List.of("nomad/jobs", "nomad/jobs/web", "nomad/jobs/web/g", "nomad/jobs/web/g/t")) {
            assertThat(NO_POLICIES.allowVariableOperation("prod", path, VariableCapability.READ, claim)).as(path)
                    .isTrue();
        }
        assertThat(NO_POLICIES.allowVariableOperation("default", "nomad/jobs/web", VariableCapability.READ, claim))
                .as("another namespace").isFalse();
        assertThat(NO_POLICIES.allowVariableOperation("prod", "nomad/jobs/web", VariableCapability.WRITE, claim))
                .as("never write").isFalse();
    }

    @Test
    void withoutAGroupInTheSubjectOnlyTheJobLevelPathsAreImplicit() {
        Optional<WorkloadClaim> claim = VariableRequests.claim(identity("not-nomad-shaped"));

        assertThat(claim).isPresent();
        assertThat(NO_POLICIES.allowVariableOperation("prod", "nomad/jobs/web", VariableCapability.READ, claim))
                .isTrue();
        assertThat(NO_POLICIES.allowVariableOperation("prod", "nomad/jobs/web/g", VariableCapability.READ, claim))
                .isFalse();
        assertThat(NO_POLICIES.allowVariableOperation("prod", "nomad/jobs/web/g/t", VariableCapability.READ, claim))
                .isFalse();
    }

    private static WorkloadIdentity identity(String subject) {
        return new WorkloadIdentity("prod", "web", "alloc", "t", subject, List.of("nomadproject.io"), "kid",
                Optional.empty(), Optional.empty());
    }
}
