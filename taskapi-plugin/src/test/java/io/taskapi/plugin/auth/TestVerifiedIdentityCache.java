package io.taskapi.plugin.auth;

import static io.taskapi.plugin.auth.Tokens.ALLOC_ID;
import static io.taskapi.plugin.auth.Tokens.NOW;
import static io.taskapi.plugin.auth.Tokens.validClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.TaskApiConfig;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestVerifiedIdentityCache {
    private final AuthFixture fixture = new AuthFixture();

    @Test
    void secondVerifyOfTheSameTokenSkipsTheKeyStore() throws Exception {
        String token = Tokens.rs256(validClaims().build());

        Identity first = fixture.workload.verify(token);
        Identity second = fixture.workload.verify(token);

        assertThat(second).isEqualTo(first);
        assertThat(fixture.keys.lookups()).isEqualTo(1);
    }

    @Test
    void differentTokensAreCachedSeparately() throws Exception {
        fixture.workload.verify(Tokens.rs256(validClaims().build()));
        fixture.workload.verify(Tokens.eddsa(validClaims().build()));
        fixture.workload.verify(Tokens.eddsa(validClaims().build()));

        assertThat(fixture.keys.lookups()).isEqualTo(2);
        assertThat(fixture.cache.size()).isEqualTo(2);
    }

    @Test
    void entryDroppedWhenTheAllocationEnds() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.workload.verify(token);

        fixture.allocations.end(ALLOC_ID);

        assertThat(fixture.cache.size()).isZero();
        fixture.rejectWorkload(token, RejectionReason.ALLOCATION_NOT_LIVE);
        assertThat(fixture.keys.lookups()).isEqualTo(2);
    }

    @Test
    void entryDroppedWhenTheAllocationIsForgotten() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.workload.verify(token);

        fixture.allocations.forget(ALLOC_ID);

        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.ALLOCATION_NOT_LIVE);
        assertThat(e).hasMessage("allocation does not exist");
    }

    @Test
    void otherAllocationsStayCachedWhenOneEnds() throws Exception {
        fixture.allocations.live("other-alloc");
        String mine = Tokens.rs256(validClaims().build());
        String other = Tokens.rs256(validClaims().claim("nomad_allocation_id", "other-alloc").build());
        fixture.workload.verify(mine);
        fixture.workload.verify(other);

        fixture.allocations.end(ALLOC_ID);

        assertThat(fixture.cache.get(other)).isPresent();
        assertThat(fixture.cache.get(mine)).isEmpty();
    }

    @Test
    void entryDroppedWhenExpPasses() throws Exception {
        String token = Tokens.rs256(validClaims().expirationTime(Date.from(NOW.plusSeconds(120))).build());
        fixture.workload.verify(token);

        fixture.clock.set(NOW.plusSeconds(119));
        assertThat(fixture.cache.get(token)).isPresent();

        fixture.clock.set(NOW.plusSeconds(120));
        assertThat(fixture.cache.get(token)).isEmpty();
        // Past exp but inside the leeway a fresh verification still accepts it, at the cost of a key lookup.
        assertThat(fixture.workload.verify(token)).isInstanceOf(WorkloadIdentity.class);
        assertThat(fixture.keys.lookups()).isEqualTo(2);

        fixture.clock.set(NOW.plusSeconds(180));
        fixture.rejectWorkload(token, RejectionReason.BAD_TIME);
    }

    @Test
    void entryDroppedWhenTheTtlPasses() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.workload.verify(token);

        fixture.clock.advance(fixture.config.identityCacheTtl().minusSeconds(1));
        assertThat(fixture.cache.get(token)).isPresent();

        fixture.clock.advance(Duration.ofSeconds(1));
        assertThat(fixture.cache.get(token)).isEmpty();
    }

    @Test
    void tokenWithoutExpLivesForTheTtl() throws Exception {
        AuthFixture lenient = new AuthFixture(Map.of(TaskApiConfig.IDENTITY_REQUIRE_EXPIRY, "false",
                TaskApiConfig.IDENTITY_CACHE_TTL, "30s"));
        String token = Tokens.rs256(validClaims().expirationTime(null).build());
        lenient.workload.verify(token);

        lenient.clock.advance(Duration.ofSeconds(29));
        assertThat(lenient.cache.get(token)).isPresent();
        lenient.clock.advance(Duration.ofSeconds(1));
        assertThat(lenient.cache.get(token)).isEmpty();
    }

    @Test
    void boundedBySize() throws Exception {
        AuthFixture small = new AuthFixture(Map.of(TaskApiConfig.IDENTITY_CACHE_SIZE, "2"));
        for (int i = 0; i < 5; i++) {
            small.workload.verify(Tokens.rs256(validClaims().jwtID("jti-" + i).build()));
        }
        assertThat(small.cache.size()).isLessThanOrEqualTo(2);
    }

    @Test
    void sizeZeroDisablesCaching() throws Exception {
        AuthFixture uncached = new AuthFixture(Map.of(TaskApiConfig.IDENTITY_CACHE_SIZE, "0"));
        String token = Tokens.rs256(validClaims().build());
        uncached.workload.verify(token);
        uncached.workload.verify(token);
        assertThat(uncached.keys.lookups()).isEqualTo(2);
    }

    @Test
    void ttlZeroDisablesCaching() throws Exception {
        AuthFixture uncached = new AuthFixture(Map.of(TaskApiConfig.IDENTITY_CACHE_TTL, "0s"));
        String token = Tokens.rs256(validClaims().build());
        uncached.workload.verify(token);
        uncached.workload.verify(token);
        assertThat(uncached.keys.lookups()).isEqualTo(2);
    }

    @Test
    void putAfterAnAllocationEndedDuringVerificationIsDropped() {
        WorkloadIdentity identity = identity(ALLOC_ID);
        long generation = fixture.cache.generation();
        fixture.allocations.end(ALLOC_ID); // ends between the liveness check and the put

        fixture.cache.put("a.b.c", identity, generation);

        assertThat(fixture.cache.get("a.b.c")).isEmpty();
    }

    @Test
    void putWithACurrentGenerationIsKept() {
        fixture.cache.put("a.b.c", identity(ALLOC_ID), fixture.cache.generation());
        assertThat(fixture.cache.get("a.b.c")).contains(identity(ALLOC_ID));
    }

    @Test
    void alreadyExpiredIdentityIsNotCached() {
        WorkloadIdentity expired = new WorkloadIdentity("default", "job", ALLOC_ID, "web", "sub", List.of("a"),
                "kid", Optional.empty(), Optional.of(NOW));
        fixture.cache.put("a.b.c", expired, fixture.cache.generation());
        assertThat(fixture.cache.size()).isZero();
    }

    @Test
    void closeUnsubscribesAndEmpties() throws Exception {
        fixture.workload.verify(Tokens.rs256(validClaims().build()));
        assertThat(fixture.allocations.listenerCount()).isEqualTo(1);

        fixture.cache.close();

        assertThat(fixture.allocations.listenerCount()).isZero();
        assertThat(fixture.cache.size()).isZero();
    }

    private static WorkloadIdentity identity(String allocationId) {
        return new WorkloadIdentity("default", "job", allocationId, "web", "sub", List.of("a"), "kid",
                Optional.empty(), Optional.of(NOW.plusSeconds(600)));
    }
}
