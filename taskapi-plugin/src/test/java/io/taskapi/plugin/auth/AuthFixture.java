package io.taskapi.plugin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.AuthConfig;
import io.taskapi.plugin.config.TaskApiConfig;
import java.util.Map;
import java.util.List;

/** One wired set of verifiers over fakes, with the clock at {@link Tokens#NOW} and the test allocation live. */
final class AuthFixture {
    final MutableClock clock = new MutableClock(Tokens.NOW);
    final FakeKeyStore keys = new FakeKeyStore(TestKeys.rsaKey(), TestKeys.edKey());
    final FakeAllocations allocations = new FakeAllocations().live(Tokens.ALLOC_ID);
    final FakeAclTokens aclTokens = new FakeAclTokens();
    final AuthConfig config;
    final VerifiedIdentityCache cache;
    final WorkloadIdentityVerifier workload;
    final AclTokenVerifier acl;
    final AuthenticationGate gate;

    AuthFixture() {
        this(Map.of());
    }

    AuthFixture(Map<String, String> settings) {
        config = TaskApiConfig.fromMap(settings).auth();
        cache = new VerifiedIdentityCache(allocations, config, clock);
        workload = new WorkloadIdentityVerifier(keys, allocations, cache, config, clock);
        acl = new AclTokenVerifier(aclTokens, clock);
        gate = new AuthenticationGate(List.of(acl, workload), config);
    }

    /** Verifies with the workload verifier and returns the refusal, failing if there was none. */
    CredentialRejectedException rejectWorkload(String token, RejectionReason reason) {
        CredentialRejectedException e =
                catchThrowableOfType(CredentialRejectedException.class, () -> workload.verify(token));
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        return e;
    }

    /** Authenticates through the gate and returns the refusal, failing if there was none. */
    CredentialRejectedException rejectAtGate(String token, RejectionReason reason) {
        CredentialRejectedException e =
                catchThrowableOfType(CredentialRejectedException.class, () -> gate.authenticate(token));
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        return e;
    }
}
