package io.taskapi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.AgentState;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import io.taskapi.spi.state.VerificationKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InMemoryStateTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aclTokensAreFoundByTheirExactSecretOnly() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore(new TestingClock(NOW));
        AclToken reader = tokens.createClientToken("reader", List.of("node-read"));
        AclToken admin = tokens.createManagementToken("admin");

        assertThat(tokens.findBySecretId(reader.secretId())).contains(reader);
        assertThat(tokens.findBySecretId(admin.secretId()).map(AclToken::type)).contains(AclTokenType.MANAGEMENT);
        assertThat(reader.type()).isEqualTo(AclTokenType.CLIENT);
        assertThat(reader.policies()).containsExactly("node-read");
        assertThat(reader.createTime()).isEqualTo(NOW);
        assertThat(reader.accessorId()).isNotEqualTo(reader.secretId());
        assertThat(tokens.findBySecretId(reader.accessorId())).isEmpty();
        assertThat(tokens.findBySecretId(reader.secretId().toUpperCase(Locale.ROOT))).isEmpty();
        assertThat(tokens.findBySecretId(UUID.randomUUID().toString())).isEmpty();
        assertThat(tokens.tokens()).containsExactlyInAnyOrder(reader, admin);
        assertThat(tokens.faults().lookupCount()).isEqualTo(5);
    }

    @Test
    void expiringTokensAreStoredExpiredOrNot() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore(new TestingClock(NOW));
        AclToken expired = tokens.createExpiringToken("old", List.of("p"), NOW.minusSeconds(1));

        Optional<AclToken> found = tokens.findBySecretId(expired.secretId());

        assertThat(found).contains(expired);
        assertThat(found.get().isExpired(NOW)).isTrue();
        assertThat(found.get().expirationTime()).contains(NOW.minusSeconds(1));
    }

    @Test
    void putReplacesByAccessorIdAndDeleteRemoves() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
        AclToken first = new AclToken("a1", UUID.randomUUID().toString(), "first", AclTokenType.CLIENT, List.of(),
                NOW, Optional.empty());
        AclToken rotated = new AclToken("a1", UUID.randomUUID().toString(), "rotated", AclTokenType.MANAGEMENT,
                List.of(), NOW, Optional.empty());

        tokens.put(first);
        tokens.put(rotated);
        assertThat(tokens.findBySecretId(first.secretId())).isEmpty();
        assertThat(tokens.findBySecretId(rotated.secretId())).contains(rotated);
        assertThat(tokens.findByAccessorId("a1")).contains(rotated);
        assertThat(tokens.list()).containsExactly(rotated);
        assertThat(tokens.delete("a1")).isTrue();
        assertThat(tokens.delete("a1")).isFalse();
        assertThat(tokens.findBySecretId(rotated.secretId())).isEmpty();
        assertThat(tokens.findByAccessorId("a1")).isEmpty();

        tokens.createManagementToken("x");
        tokens.clear();
        assertThat(tokens.tokens()).isEmpty();
    }

    @Test
    void aSecretBelongsToOneToken() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
        AclToken first = tokens.createClientToken("first", List.of());
        AclToken thief = new AclToken("other", first.secretId(), "thief", AclTokenType.MANAGEMENT, List.of(), NOW,
                Optional.empty());

        assertThatThrownBy(() -> tokens.put(thief)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(first.secretId());
        assertThat(tokens.findBySecretId(first.secretId())).contains(first);
        assertThat(tokens.tokens()).containsExactly(first);
    }

    @Test
    void bootstrapIsOnceEvenAfterTheTokenIsDeleted() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore(new TestingClock(NOW));
        AclToken first = new AclToken("boot", UUID.randomUUID().toString(), "bootstrap", AclTokenType.MANAGEMENT,
                List.of(), NOW, Optional.empty());
        AclToken second = new AclToken("again", UUID.randomUUID().toString(), "again", AclTokenType.MANAGEMENT,
                List.of(), NOW, Optional.empty());

        assertThat(tokens.isBootstrapped()).isFalse();
        assertThat(tokens.bootstrap(first)).isTrue();
        assertThat(tokens.findBySecretId(first.secretId())).contains(first);
        assertThat(tokens.bootstrap(second)).isFalse();
        assertThat(tokens.delete("boot")).isTrue();
        assertThat(tokens.bootstrap(second)).isFalse();
        assertThat(tokens.tokens()).isEmpty();
        assertThat(tokens.isBootstrapped()).isTrue();
        assertThatThrownBy(() -> new InMemoryAclTokenStore().bootstrap(tokens.createClientToken("c", List.of())))
                .isInstanceOf(IllegalArgumentException.class);

        tokens.clear();   // a fresh store
        assertThat(tokens.bootstrap(second)).isTrue();
    }

    @Test
    void tokenSubscribersHearOfEveryChangeAfterIt() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Subscription subscription = tokens.onChange(() -> sizes.add(tokens.tokens().size()));
        AclToken token = tokens.createClientToken("a", List.of());

        tokens.put(new AclToken("b", UUID.randomUUID().toString(), "b", AclTokenType.CLIENT, List.of(), NOW,
                Optional.empty()));
        tokens.delete(token.accessorId());
        tokens.delete("missing");   // no change, no news
        tokens.bootstrap(new AclToken("m", UUID.randomUUID().toString(), "m", AclTokenType.MANAGEMENT, List.of(),
                NOW, Optional.empty()));
        tokens.bootstrap(new AclToken("n", UUID.randomUUID().toString(), "n", AclTokenType.MANAGEMENT, List.of(),
                NOW, Optional.empty()));

        assertThat(sizes).containsExactly(1, 2, 1, 2);
        assertThat(tokens.subscriberCount()).isEqualTo(1);
        subscription.close();
        subscription.close();
        assertThat(tokens.subscriberCount()).isZero();
        tokens.createManagementToken("x");
        assertThat(sizes).hasSize(4);
    }

    @Test
    void unavailableTokenStoreThrowsAndRecovers() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
        AclToken token = tokens.createManagementToken("admin");

        tokens.faults().setUnavailable(true);
        assertThat(tokens.faults().isUnavailable()).isTrue();
        assertThatThrownBy(() -> tokens.findBySecretId(token.secretId()))
                .isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("ACL token store")
                .hasMessageNotContaining(token.secretId());
        assertThatThrownBy(() -> tokens.findByAccessorId(token.accessorId()))
                .isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(tokens::list).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> tokens.put(token)).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> tokens.delete(token.accessorId())).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> tokens.bootstrap(token)).isInstanceOf(StateUnavailableException.class);
        assertThat(tokens.createClientToken("side door", List.of())).isNotNull();   // the test's own writes work
        assertThat(tokens.isBootstrapped()).isFalse();

        tokens.faults().setUnavailable(false);
        assertThat(tokens.findBySecretId(token.secretId())).contains(token);
        assertThat(tokens.faults().lookupCount()).isEqualTo(4);   // lookups only, failed ones included
    }

    @Test
    void tokenStoreNeverPrintsSecrets() {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
        AclToken token = tokens.createClientToken("reader", List.of("p"));

        assertThat(tokens.toString()).doesNotContain(token.secretId()).contains("tokens=1");
        assertThat(token.toString()).doesNotContain(token.secretId());
    }

    @Test
    void tokenStoreIsSafeUnderConcurrentUse() throws Exception {
        InMemoryAclTokenStore tokens = new InMemoryAclTokenStore();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> {
                    AclToken token = tokens.createClientToken("t", List.of());
                    return tokens.findBySecretId(token.secretId()).isPresent();
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokens.tokens()).hasSize(200);
    }

    @Test
    void keyStoreIsFedFromTheIssuerAndPublishesAndUnpublishes() throws Exception {
        TestingIdentityIssuer issuer = TestingIdentityIssuer.create();
        InMemoryIdentityKeyStore keys = InMemoryIdentityKeyStore.from(issuer);

        assertThat(keys.publishedKeys()).containsExactlyElementsOf(issuer.verificationKeys());
        assertThat(keys.findKey(issuer.rsaKey().keyId())).contains(issuer.rsaKey().verificationKey());
        assertThat(keys.findKey("unknown")).isEmpty();

        VerificationKey rotated = issuer.addPublishedKey(SigningAlgorithm.EDDSA).verificationKey();
        assertThat(keys.findKey(rotated.keyId())).isEmpty();   // a snapshot: the store must be told
        keys.publish(rotated);
        assertThat(keys.findKey(rotated.keyId())).contains(rotated);

        assertThat(keys.unpublish(issuer.rsaKey().keyId())).isTrue();
        assertThat(keys.unpublish(issuer.rsaKey().keyId())).isFalse();
        assertThat(keys.findKey(issuer.rsaKey().keyId())).isEmpty();
        assertThat(keys.publishedKeys()).extracting(VerificationKey::keyId)
                .containsExactly(issuer.ed25519Key().keyId(), rotated.keyId());
        assertThat(keys.jwksJson()).contains(rotated.keyId()).doesNotContain(issuer.rsaKey().keyId());
        assertThat(InMemoryIdentityKeyStore.of(List.of(rotated)).publishedKeys()).containsExactly(rotated);
    }

    @Test
    void unavailableKeyStoreThrows() throws Exception {
        TestingIdentityIssuer issuer = TestingIdentityIssuer.create();
        InMemoryIdentityKeyStore keys = InMemoryIdentityKeyStore.from(issuer);

        keys.faults().setUnavailable(true);

        assertThatThrownBy(() -> keys.findKey(issuer.rsaKey().keyId())).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(keys::publishedKeys).isInstanceOf(StateUnavailableException.class);
        assertThat(keys.faults().lookupCount()).isEqualTo(2);
        keys.faults().setUnavailable(false);
        assertThat(keys.findKey(issuer.rsaKey().keyId())).isPresent();
    }

    @Test
    void allocationsAreUnknownUntilMarked() throws Exception {
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        String alloc = UUID.randomUUID().toString();

        assertThat(allocations.status(alloc)).isEqualTo(AllocationStatus.UNKNOWN);
        allocations.markLive(alloc);
        assertThat(allocations.status(alloc)).isEqualTo(AllocationStatus.LIVE);
        allocations.markTerminal(alloc);
        assertThat(allocations.status(alloc)).isEqualTo(AllocationStatus.TERMINAL);
        allocations.forget(alloc);
        assertThat(allocations.status(alloc)).isEqualTo(AllocationStatus.UNKNOWN);
        assertThat(allocations.faults().lookupCount()).isEqualTo(4);
    }

    @Test
    void markingATaskLiveRecordsWhatItsAllocationRunsUntilItIsForgotten() throws Exception {
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        String alloc = UUID.randomUUID().toString();
        allocations.markLive(alloc);
        assertThat(allocations.workload(alloc)).as("live, but what it runs was never said").isEmpty();

        allocations.markLive(new TaskRef(alloc, "default", "web", "frontend", "server"));
        allocations.markLive(new TaskRef(alloc, "default", "web", "frontend", "sidecar"));

        assertThat(allocations.status(alloc)).isEqualTo(AllocationStatus.LIVE);
        assertThat(allocations.workload(alloc)).contains(
                new AllocationWorkload("default", "web", "frontend", Set.of("server", "sidecar")));
        assertThatThrownBy(() -> allocations.markLive(new TaskRef(alloc, "default", "billing", "frontend", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        allocations.markTerminal(alloc);
        assertThat(allocations.workload(alloc)).as("a terminal allocation still ran what it ran").isPresent();
        allocations.forget(alloc);
        assertThat(allocations.workload(alloc)).isEmpty();
        allocations.faults().setUnavailable(true);
        assertThatThrownBy(() -> allocations.workload(alloc)).isInstanceOf(StateUnavailableException.class);
    }

    @Test
    void subscribersHearOfAllocationsThatEnd() {
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        List<String> ended = new CopyOnWriteArrayList<>();
        Subscription subscription = allocations.onAllocationEnded(ended::add);
        allocations.markLive("a");
        allocations.markLive("b");
        allocations.markLive("c");

        allocations.markTerminal("a");
        allocations.markTerminal("a");   // no change, no news
        allocations.forget("a");         // terminal -> unknown is news
        allocations.forget("b");
        allocations.forget("never-seen");
        allocations.markTerminal("unseen");   // a terminal status is news even for a new id

        assertThat(ended).containsExactly("a", "a", "b", "unseen");
        assertThat(allocations.subscriberCount()).isEqualTo(1);
        subscription.close();
        subscription.close();
        assertThat(allocations.subscriberCount()).isZero();
        allocations.markTerminal("c");
        assertThat(ended).hasSize(4);
    }

    @Test
    void sameListenerSubscribedTwiceIsRemovedOncePerClose() {
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        List<String> ended = new CopyOnWriteArrayList<>();
        Consumer<String> listener = ended::add;
        Subscription first = allocations.onAllocationEnded(listener);
        allocations.onAllocationEnded(listener);

        first.close();
        allocations.markTerminal("a");

        assertThat(ended).containsExactly("a");
    }

    @Test
    void listenerThatThrowsIsReportedAfterTheOthersRan() {
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        List<String> ended = new CopyOnWriteArrayList<>();
        allocations.onAllocationEnded(id -> {
            throw new IllegalArgumentException("bad listener");
        });
        allocations.onAllocationEnded(ended::add);
        allocations.markLive("a");

        assertThatThrownBy(() -> allocations.markTerminal("a")).isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("bad listener");
        assertThat(ended).containsExactly("a");
    }

    @Test
    void unavailableRegistryThrowsButStillNotifies() throws Exception {
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        List<String> ended = new CopyOnWriteArrayList<>();
        allocations.onAllocationEnded(ended::add);
        allocations.markLive("a");

        allocations.faults().setUnavailable(true);

        assertThatThrownBy(() -> allocations.status("a")).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("allocation registry");
        allocations.markTerminal("a");
        assertThat(ended).containsExactly("a");
    }

    @Test
    void agentStateBundlesTheStoresAndSwitchesThemTogether() throws Exception {
        TestingIdentityIssuer issuer = TestingIdentityIssuer.create(new TestingClock(NOW));
        TestingAgentState state = TestingAgentState.forIssuer(issuer);

        assertThat(state.agentState().aclTokens()).containsSame(state.tokens());
        assertThat(state.agentState().aclPolicies()).containsSame(state.policies());
        assertThat(state.agentState().nodeMetadata()).containsSame(state.nodeMetadata());
        assertThat(state.agentState().variables()).containsSame(state.variables());
        assertThat(state.agentState().identityKeys()).isSameAs(state.keys());
        assertThat(state.agentState().allocations()).isSameAs(state.allocations());
        assertThat(state.agentState().nodes()).isSameAs(state.nodes());
        assertThat(state.keys().publishedKeys()).hasSize(2);
        assertThat(state.tokens().createManagementToken("m").createTime()).isEqualTo(NOW);
        assertThat(state.nodes().list()).hasSize(1);

        state.setUnavailable(true);
        assertThat(state.tokens().faults().isUnavailable()).isTrue();
        assertThat(state.policies().faults().isUnavailable()).isTrue();
        assertThat(state.keys().faults().isUnavailable()).isTrue();
        assertThat(state.allocations().faults().isUnavailable()).isTrue();
        assertThat(state.nodes().faults().isUnavailable()).isTrue();
        assertThat(state.nodeMetadata().faults().isUnavailable()).isTrue();
        assertThat(state.variables().faults().isUnavailable()).isTrue();
        state.setUnavailable(false);
        assertThat(state.allocations().status("x")).isEqualTo(AllocationStatus.UNKNOWN);

        assertThat(TestingAgentState.create().keys().publishedKeys()).isEmpty();
    }

    @Test
    void agentStateWithEmbeddedStoresHasTheRequiredPartsOnly() {
        TestingAgentState state = TestingAgentState.create();

        AgentState embedded = state.agentStateWithEmbeddedStores();

        assertThat(embedded.allocations()).isSameAs(state.allocations());
        assertThat(embedded.nodes()).isSameAs(state.nodes());
        assertThat(embedded.identityKeys()).isSameAs(state.keys());
        assertThat(embedded.aclTokens()).isEmpty();
        assertThat(embedded.aclPolicies()).isEmpty();
        assertThat(embedded.nodeMetadata()).isEmpty();
        assertThat(embedded.variables()).isEmpty();
        assertThat(state.agentStateWithEmbeddedStores()).isSameAs(embedded);
    }

    @Test
    void testingClockMovesOnlyWhenTold() {
        TestingClock clock = new TestingClock(NOW);

        assertThat(clock.instant()).isEqualTo(NOW);
        assertThat(clock.advance(Duration.ofSeconds(5))).isEqualTo(NOW.plusSeconds(5));
        Clock zoned = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.set(NOW);
        assertThat(zoned.instant()).isEqualTo(NOW);
        Instant start = new TestingClock().instant();
        assertThat(start.truncatedTo(ChronoUnit.SECONDS)).isEqualTo(start);
    }
}
