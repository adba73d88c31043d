package io.taskapi.plugin.auth;

import static io.taskapi.plugin.auth.Tokens.ALLOC_ID;
import static io.taskapi.plugin.auth.Tokens.validClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A workload identity's claims must name what its allocation runs: with a leaked signing key, anyone could otherwise
 * mint any job's claims (and so its policies) onto any live allocation.
 */
final class TestAllocationMatch {
    private static final String MISMATCH = "identity does not match its allocation";

    private final AuthFixture fixture = new AuthFixture();

    @Test
    void claimsNamingTheAllocationsJobGroupAndTaskPass() throws Exception {
        WorkloadIdentity identity = (WorkloadIdentity) fixture.workload.verify(Tokens.rs256(validClaims().build()));

        assertThat(identity.allocationId()).isEqualTo(ALLOC_ID);
        assertThat(identity.group()).contains(FakeAllocations.GROUP);
    }

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource({"nomad_namespace, prod", "nomad_job_id, billing", "nomad_task, sidecar"})
    void aClaimTheAllocationDoesNotRunIsRefused(String claim, String value) {
        String token = Tokens.rs256(validClaims().claim(claim, value).build());

        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.ALLOCATION_MISMATCH);

        assertThat(e).hasMessage(MISMATCH);
        assertThat(fixture.cache.size()).as("a refused identity is not cached").isZero();
    }

    @Test
    void aSubjectNamingAnotherGroupIsRefused() {
        // Group-bound policies follow the group in sub, so it must be the allocation's too.
        String token = Tokens.rs256(validClaims().subject("global:default:example:admin:web:default").build());

        assertThat(fixture.rejectWorkload(token, RejectionReason.ALLOCATION_MISMATCH)).hasMessage(MISMATCH);
    }

    @Test
    void aSubjectWithoutNomadsShapeNamesNoGroupAndIsNotComparedAsOne() throws Exception {
        WorkloadIdentity identity = (WorkloadIdentity) fixture.workload.verify(
                Tokens.rs256(validClaims().subject("custom-subject").build()));

        assertThat(identity.group()).isEmpty();
    }

    @Test
    void anyTaskOfAMultiTaskAllocationPasses() throws Exception {
        fixture.allocations.live(ALLOC_ID, new AllocationWorkload(Tokens.NAMESPACE, Tokens.JOB_ID,
                FakeAllocations.GROUP, Set.of("sidecar", Tokens.TASK)));

        assertThat(fixture.workload.verify(Tokens.rs256(validClaims().build()))).isInstanceOf(WorkloadIdentity.class);
    }

    @Test
    void anAllocationTheRegistryCannotDescribeIsRefused() {
        fixture.allocations.liveWithoutWorkload(ALLOC_ID);

        CredentialRejectedException e =
                fixture.rejectWorkload(Tokens.rs256(validClaims().build()), RejectionReason.ALLOCATION_MISMATCH);

        assertThat(e).hasMessage(MISMATCH);
    }

    @Test
    void theCheckRunsOnCachedIdentitiesToo() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.workload.verify(token);
        assertThat(fixture.cache.get(token)).as("cached after the first request").isPresent();

        // The registry now says the allocation runs another job: the cached identity must not outlive that.
        fixture.allocations.live(ALLOC_ID, new AllocationWorkload(Tokens.NAMESPACE, "billing", FakeAllocations.GROUP,
                Set.of(Tokens.TASK)));

        assertThat(fixture.rejectWorkload(token, RejectionReason.ALLOCATION_MISMATCH)).hasMessage(MISMATCH);
    }

    @Test
    void theRefusalReachesTheCallerThroughTheGate() {
        String token = Tokens.rs256(validClaims().claim("nomad_job_id", "billing").build());

        assertThat(fixture.rejectAtGate(token, RejectionReason.ALLOCATION_MISMATCH)).hasMessage(MISMATCH);
    }

    @Test
    void aRegistryThatCannotSayWhatTheAllocationRunsIsUnavailableNotAnAllow() throws Exception {
        assertUnavailableWhenWorkloadFails(new StateUnavailableException("timed out"), "timed out");
    }

    @Test
    void aRegistryThrowingUncheckedIsUnavailable() throws Exception {
        assertUnavailableWhenWorkloadFails(new IllegalStateException("boom"), "allocation registry failed");
    }

    /** A registry that says the allocation is live, then fails when asked what it runs: 503, nothing cached. */
    private void assertUnavailableWhenWorkloadFails(Exception failure, String message) throws Exception {
        AllocationRegistry registry = mock(AllocationRegistry.class);
        when(registry.onAllocationEnded(any())).thenReturn(() -> { });
        when(registry.status(any())).thenReturn(AllocationStatus.LIVE);
        when(registry.workload(any())).thenThrow(failure);
        VerifiedIdentityCache cache = new VerifiedIdentityCache(registry, fixture.config, fixture.clock);
        WorkloadIdentityVerifier verifier =
                new WorkloadIdentityVerifier(fixture.keys, registry, cache, fixture.config, fixture.clock);

        assertThatThrownBy(() -> verifier.verify(Tokens.rs256(validClaims().build())))
                .isInstanceOf(StateUnavailableException.class)
                .hasMessage(message);
        assertThat(cache.size()).isZero();
    }
}
