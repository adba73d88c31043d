package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Client;
import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two agents (two connections under one key prefix) on one real cluster: each sees the other's writes through its
 * watch, races have one winner, and an agent cut off from etcd stops trusting its cache within the staleness bound
 * and recovers by itself.
 */
class TwoAgentsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestCluster cluster;

    private String prefix;
    private EtcdState agentA;
    private EtcdState agentB;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void twoAgents() throws StateUnavailableException {
        prefix = TestCluster.freshPrefix();
        // A talks to the members straight; B through the proxies, so that a test can cut B alone off.
        agentA = cluster.connectDirect(prefix);
        agentB = cluster.connect(prefix);
        for (EtcdState agent : List.of(agentA, agentB)) {
            agent.aclTokens();
            agent.aclPolicies();
            agent.variables();
            agent.awaitLoaded(WAIT);
        }
    }

    @AfterEach
    void closeAgents() {
        cluster.closeConnections();
    }

    @Test
    void aTokenWrittenOnOneAgentAuthenticatesOnTheOtherAndItsRevocationReachesIt() throws Exception {
        twoAgents();
        CountDownLatch heard = new CountDownLatch(1);
        Subscription subscription = agentB.aclTokens().onChange(heard::countDown);
        try {
            List<Long> delays = new ArrayList<>();
            for (int trial = 0; trial < 20; trial++) {
                AclToken token = token(AclTokenType.CLIENT);
                agentA.aclTokens().put(token);
                awaitPresent(() -> agentB.aclTokens().findBySecretId(token.secretId()), true);
                assertEquals(agentA.aclTokens().writeIndexes(token.accessorId()),
                        agentB.aclTokens().writeIndexes(token.accessorId()), "the agents show other indexes");

                long revoked = System.nanoTime();
                assertTrue(agentA.aclTokens().delete(token.accessorId()));
                awaitPresent(() -> agentB.aclTokens().findBySecretId(token.secretId()), false);
                delays.add(System.nanoTime() - revoked);
            }
            assertTrue(heard.await(0, TimeUnit.SECONDS), "B's subscriber heard nothing of A's writes");
            System.out.println("revocation reached the other agent in (ms, sorted): " + sortedMillis(delays));
        } finally {
            subscription.close();
        }
    }

    @Test
    void policiesAndVariablesWrittenOnOneAgentReadTheSameOnTheOther() throws Exception {
        twoAgents();
        AclPolicy policy = agentA.aclPolicies().put(new AclPolicy("ops", "", "node { policy = \"read\" }",
                Optional.empty(), 0, 0));
        awaitPresent(() -> agentB.aclPolicies().find("ops").filter(policy::equals), true);

        AclPolicy changed = agentB.aclPolicies().put(new AclPolicy("ops", "", "node { policy = \"write\" }",
                Optional.empty(), 0, 0));
        assertEquals(policy.createIndex(), changed.createIndex());
        awaitPresent(() -> agentA.aclPolicies().find("ops").filter(changed::equals), true);

        StoredVariable written = agentA.variables().put(variable("app/db", "v1"), OptionalLong.of(0));
        StoredVariable seen = awaitValue(() -> agentB.variables().get("default", "app/db"));
        assertEquals(written, seen, "B reads another variable (or other indexes) than A wrote");
        assertEquals(Optional.empty(), agentB.variables().get("default/app", "db"), "a namespace with a / found one");
        assertEquals(List.of(), agentB.variables().list("default/app", ""));
        assertThrows(IllegalArgumentException.class, () -> agentA.variables().put(new StoredVariable("a/b", "c",
                "key-1", new byte[] {1}, 0, 0, Instant.EPOCH, Instant.EPOCH), OptionalLong.empty()));
    }

    @Test
    void aRoleWrittenOnOneAgentReadsTheSameOnTheOtherAndItsNameStaysUniqueAcrossAgents() throws Exception {
        twoAgents();
        for (EtcdState agent : List.of(agentA, agentB)) {
            agent.aclRoles();
            agent.awaitLoaded(WAIT);
        }
        AclRole role = agentA.aclRoles().put(new AclRole("r-1", "ops", "", List.of("node-read"), 0, 0));
        AclRole seen = awaitValue(() -> agentB.aclRoles().find("r-1").filter(r -> r.modifyIndex()
                >= role.modifyIndex()));
        assertEquals(role, seen, "B reads another role (or other indexes) than A wrote");
        assertEquals(Optional.of(role), agentB.aclRoles().findByName("ops"));

        AclRole renamed = agentB.aclRoles().put(new AclRole("r-1", "operators", "renamed", List.of("p"), 0, 0));
        assertEquals(role.createIndex(), renamed.createIndex());
        awaitPresent(() -> agentA.aclRoles().findByName("operators").filter(renamed::equals), true);
        assertEquals(Optional.empty(), agentA.aclRoles().findByName("ops"));
        assertThrows(IllegalArgumentException.class, () -> agentA.aclRoles().put(new AclRole("r-2", "operators", "",
                List.of(), 0, 0)), "A gave a second role the name B had just given");

        List<Callable<Object>> creators = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            EtcdState agent = i % 2 == 0 ? agentA : agentB;
            AclRole contender = new AclRole("race-" + i, "contended", "", List.of(), 0, 0);
            creators.add(() -> agent.aclRoles().put(contender));
        }
        List<Object> outcomes = race(creators);
        List<Object> winners = outcomes.stream().filter(AclRole.class::isInstance).toList();
        assertEquals(1, winners.size(), "not exactly one role got the name: " + outcomes);
        assertEquals(5, outcomes.stream().filter(IllegalArgumentException.class::isInstance).count(),
                outcomes::toString);
        AclRole winner = (AclRole) winners.get(0);
        awaitPresent(() -> agentA.aclRoles().findByName("contended").filter(winner::equals), true);
        awaitPresent(() -> agentB.aclRoles().findByName("contended").filter(winner::equals), true);

        assertTrue(agentB.aclRoles().delete("r-1"));
        awaitPresent(() -> agentA.aclRoles().find("r-1"), false);
        AclRole reused = agentA.aclRoles().put(new AclRole("r-3", "operators", "", List.of(), 0, 0));
        assertEquals(reused, awaitValue(() -> agentB.aclRoles().findByName("operators").filter(reused::equals)),
                "a deleted role's name is not free again");
    }

    @Test
    void authMethodsAndRulesWrittenOnOneAgentReadTheSameOnTheOtherAndNoRuleOutlivesItsMethod() throws Exception {
        twoAgents();
        for (EtcdState agent : List.of(agentA, agentB)) {
            agent.aclAuthMethods();
            agent.awaitLoaded(WAIT);
        }
        AclAuthMethod method = agentA.aclAuthMethods().putMethod(authMethod("corp"));
        AclBindingRule rule = agentB.aclAuthMethods().putRule(bindingRule("rule-1", "corp"));
        assertEquals(method, awaitValue(() -> agentB.aclAuthMethods().findMethod("corp")));
        assertEquals(rule, awaitValue(() -> agentA.aclAuthMethods().findRule("rule-1")));
        assertEquals(rule.modifyIndex(), agentB.aclAuthMethods().index());
        assertEquals(rule.modifyIndex(), agentA.aclAuthMethods().index(), "the agents show other indexes");

        assertTrue(agentA.aclAuthMethods().deleteMethod("corp"));
        // One watch for methods and rules: the method's delete and its rules' arrive together, in order.
        awaitPresent(() -> agentB.aclAuthMethods().findMethod("corp"), false);
        assertEquals(Optional.empty(), agentB.aclAuthMethods().findRule("rule-1"));

        // A method deleted through one agent while rules are added to it through the other: whatever the order, no
        // rule is left without its method.
        for (int trial = 0; trial < 5; trial++) {
            agentA.aclAuthMethods().putMethod(authMethod("contended"));
            List<Callable<Object>> writers = new ArrayList<>();
            writers.add(() -> agentA.aclAuthMethods().deleteMethod("contended"));
            for (int i = 0; i < 3; i++) {
                AclBindingRule added = bindingRule("t" + trial + "-" + i, "contended");
                writers.add(() -> agentB.aclAuthMethods().putRule(added));
            }
            List<Object> outcomes = race(writers);
            assertEquals(true, outcomes.get(0), outcomes::toString);
            for (Object outcome : outcomes.subList(1, outcomes.size())) {
                assertTrue(outcome instanceof AclBindingRule || outcome instanceof IllegalArgumentException,
                        outcomes::toString);
            }
            for (EtcdState agent : List.of(agentA, agentB)) {
                awaitPresent(() -> agent.aclAuthMethods().listRules().stream()
                        .filter(r -> r.authMethod().equals("contended")).findAny(), false);
                assertEquals(Optional.empty(), agent.aclAuthMethods().findMethod("contended"));
            }
        }
    }

    @Test
    void aCheckAndSetRaceBetweenTwoAgentsHasExactlyOneWinner() throws Exception {
        twoAgents();
        StoredVariable base = agentA.variables().put(variable("contended", "base"), OptionalLong.empty());
        awaitPresent(() -> agentB.variables().get("default", "contended").filter(base::equals), true);

        List<Callable<Object>> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            EtcdState agent = i % 2 == 0 ? agentA : agentB;
            String value = "writer " + i;
            writers.add(() -> agent.variables().put(variable("contended", value),
                    OptionalLong.of(base.modifyIndex())));
        }
        List<Object> outcomes = race(writers);

        List<Object> winners = outcomes.stream().filter(StoredVariable.class::isInstance).toList();
        assertEquals(1, winners.size(), "not exactly one winner: " + outcomes);
        assertEquals(7, outcomes.stream().filter(CasConflictException.class::isInstance).count(), outcomes::toString);
        StoredVariable winner = (StoredVariable) winners.get(0);
        awaitPresent(() -> agentB.variables().get("default", "contended").filter(winner::equals), true);
        awaitPresent(() -> agentA.variables().get("default", "contended").filter(winner::equals), true);
    }

    @Test
    void ofTwoAgentsBootstrappingAtOnceExactlyOneWins() throws Exception {
        twoAgents();
        List<Callable<Object>> bootstraps = new ArrayList<>();
        for (EtcdState agent : List.of(agentA, agentB, agentA, agentB)) {
            AclToken token = token(AclTokenType.MANAGEMENT);
            bootstraps.add(() -> agent.aclTokens().bootstrap(token));
        }

        List<Object> outcomes = race(bootstraps);

        assertEquals(1, outcomes.stream().filter(Boolean.TRUE::equals).count(), outcomes::toString);
        assertEquals(3, outcomes.stream().filter(Boolean.FALSE::equals).count(), outcomes::toString);
        awaitPresent(() -> agentB.aclTokens().list().size() == 1 ? Optional.of(1) : Optional.empty(), true);
    }

    @Test
    void anAgentCutOffStopsAnsweringWithinTheBoundAndCatchesUpWhenBack() throws Exception {
        twoAgents();
        AclToken token = token(AclTokenType.CLIENT);
        agentA.aclTokens().put(token);
        awaitPresent(() -> agentB.aclTokens().findBySecretId(token.secretId()), true);

        cluster.cutLinks();
        long cut = System.nanoTime();
        assertTrue(agentA.aclTokens().delete(token.accessorId()), "A cannot revoke while B is cut off");
        // B cannot hear of the revocation: it may go on answering from its cache, but only within the bound.
        while (true) {
            try {
                agentB.aclTokens().findBySecretId(token.secretId());
            } catch (StateUnavailableException expected) {
                break;
            }
            assertTrue(System.nanoTime() - cut < TestCluster.BOUND.multipliedBy(10).toNanos(),
                    "B still answers long past the staleness bound");
            Thread.sleep(20);
        }
        long refusedAfter = System.nanoTime() - cut;
        assertThrows(StateUnavailableException.class, () -> agentB.aclTokens().put(token(AclTokenType.CLIENT)),
                "B writes while cut off");
        System.out.println("a cut-off agent stopped answering after " + refusedAfter / 1_000_000 + " ms (bound "
                + TestCluster.BOUND.toMillis() + " ms)");

        cluster.restoreLinks();
        awaitPresent(() -> agentB.aclTokens().findByAccessorId(token.accessorId()), false);
        AclToken next = token(AclTokenType.CLIENT);
        agentB.aclTokens().put(next);
        assertEquals(next, awaitValue(() -> agentA.aclTokens().findBySecretId(next.secretId())));
    }

    @Test
    void anAgentThatMissedCompactedRevisionsReadsEverythingAgain() throws Exception {
        twoAgents();
        AclToken revoked = token(AclTokenType.CLIENT);
        agentA.aclTokens().put(revoked);
        awaitPresent(() -> agentB.aclTokens().findBySecretId(revoked.secretId()), true);

        cluster.cutLinks();
        agentA.aclTokens().delete(revoked.accessorId());
        AclToken added = token(AclTokenType.CLIENT);
        agentA.aclTokens().put(added);
        try (Client client = Client.builder().endpoints(cluster.cluster().endpoints()).build()) {
            long revision = client.getKVClient().get(io.etcd.jetcd.ByteSequence.from(prefix, UTF_8)).get()
                    .getHeader().getRevision();
            client.getKVClient().compact(revision).get();
        }
        cluster.restoreLinks();

        awaitPresent(() -> agentB.aclTokens().findBySecretId(added.secretId()), true);
        assertEquals(Optional.empty(), agentB.aclTokens().findBySecretId(revoked.secretId()));
        assertEquals(List.of(added), agentB.aclTokens().list());
    }

    @Test
    void anAgentCutOffIsDownOnTheOtherWithinItsTtlAndItsAllocationsEndThereAndItComesBack() throws Exception {
        prefix = TestCluster.freshPrefix();
        agentA = cluster.connectDirect(prefix);
        agentB = cluster.connect(prefix);
        EtcdNodeRegistry nodesA = agentA.nodeRegistry(EtcdNodeRegistryContractTest.node("a"),
                EtcdNodeRegistryContractTest.TTL);
        EtcdNodeRegistry nodesB = agentB.nodeRegistry(EtcdNodeRegistryContractTest.node("b"),
                EtcdNodeRegistryContractTest.TTL);
        EtcdAllocationRegistry allocationsA = agentA.allocations();
        EtcdAllocationRegistry allocationsB = agentB.allocations();
        agentA.awaitLoaded(WAIT);
        agentB.awaitLoaded(WAIT);
        String nodeB = nodesB.localNodeId();
        awaitPresent(() -> nodesA.find(nodeB).filter(node -> node.status().equals("ready")), true);
        String allocation = UUID.randomUUID().toString();
        allocationsB.markLive(allocation, nodeB, new AllocationWorkload("default", "web", "web", Set.of("server")));
        awaitPresent(() -> allocationsA.status(allocation) == AllocationStatus.LIVE ? Optional.of(1)
                : Optional.empty(), true);
        List<String> ended = new CopyOnWriteArrayList<>();
        Subscription subscription = allocationsA.onAllocationEnded(ended::add);
        try {
            long cut = System.nanoTime();
            cluster.cutLinks();
            awaitPresent(() -> nodesA.find(nodeB).filter(node -> node.status().equals(EtcdNodeRegistry.DOWN)),
                    true);
            System.out.println("a cut-off agent's node was down on the other after "
                    + (System.nanoTime() - cut) / 1_000_000 + " ms (TTL " + EtcdNodeRegistryContractTest.TTL.toMillis()
                    + " ms)");
            assertEquals(AllocationStatus.TERMINAL, allocationsA.status(allocation));
            awaitPresent(() -> ended.contains(allocation) ? Optional.of(1) : Optional.empty(), true);
        } finally {
            subscription.close();
        }

        cluster.restoreLinks();
        awaitPresent(() -> nodesA.find(nodeB).filter(node -> node.status().equals("ready")), true);
        assertEquals(AllocationStatus.LIVE, allocationsA.status(allocation));
    }

    @Test
    void aCacheWhosePrefixDoesNotChangeStaysFreshWhileOthersChange() throws Exception {
        twoAgents();
        AclPolicy policy = agentA.aclPolicies().put(new AclPolicy("quiet", "", "node { policy = \"read\" }",
                Optional.empty(), 0, 0));
        awaitPresent(() -> agentB.aclPolicies().find("quiet").filter(policy::equals), true);
        long until = System.nanoTime() + TestCluster.BOUND.multipliedBy(2).toNanos();
        int writes = 0;
        while (System.nanoTime() - until < 0) {
            // Other keys move the cluster's revision on; the policy caches only learn by progress notifications
            // that nothing of theirs changed.
            agentA.variables().put(variable("busy", "v" + writes++), OptionalLong.empty());
            assertEquals(Optional.of(policy), agentB.aclPolicies().find("quiet"));
            assertEquals(Optional.of(policy), agentA.aclPolicies().find("quiet"));
            Thread.sleep(20);
        }
        System.out.println(writes + " writes elsewhere; the quiet caches stayed fresh");
    }

    @Test
    void aBlockingQueryOnOneAgentWakesUpOnAWriteThroughTheOtherWithTheSameIndex() throws Exception {
        twoAgents();
        StoredVariable first = agentA.variables().put(variable("watched", "v1"), OptionalLong.empty());
        awaitPresent(() -> agentB.variables().index() >= first.modifyIndex() ? Optional.of(1) : Optional.empty(),
                true);
        assertEquals(first.modifyIndex(), agentB.variables().index(), "the agents show other indexes");
        assertEquals(first.modifyIndex(), agentB.variables().awaitIndex(first.modifyIndex(), Duration.ofMillis(200)),
                "nothing changed, yet the index moved");
        // Other prefixes moving the cluster's revision on do not change this table's index.
        agentA.aclPolicies().put(new AclPolicy("unrelated", "", "node { policy = \"read\" }", Optional.empty(), 0,
                0));
        assertEquals(first.modifyIndex(), agentB.variables().index());

        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Future<Long> woken = waiter.submit(() -> agentB.variables().awaitIndex(first.modifyIndex(), WAIT));
            Thread.sleep(100);
            assertTrue(agentA.variables().delete("default", "watched", OptionalLong.empty()));
            long index = woken.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(index > first.modifyIndex(), "a delete did not raise the index: " + index);
            assertEquals(agentA.variables().index(), index);
        } finally {
            waiter.shutdownNow();
        }
    }

    // --- helpers

    @FunctionalInterface
    interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    static <T> void awaitPresent(Probe<T> probe, boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                Optional<T> value = probe.get();
                if (value.isPresent() == present) {
                    return;
                }
                last = value;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("still " + last + " after " + WAIT);
    }

    static <T> T awaitValue(Probe<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Object last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                Optional<T> value = probe.get();
                if (value.isPresent()) {
                    return value.get();
                }
                last = value;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("nothing after " + WAIT + "; last " + last);
    }

    static <T> Optional<T> awaitValueOrEmpty(Probe<T> probe) throws InterruptedException {
        try {
            return Optional.of(awaitValue(probe));
        } catch (AssertionError e) {
            return Optional.empty();
        }
    }

    static List<Object> race(List<Callable<Object>> calls) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch ready = new CountDownLatch(calls.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await();
            go.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> future : futures) {
                try {
                    outcomes.add(future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    outcomes.add(e);
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    static String sortedMillis(List<Long> nanos) {
        double[] millis = nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        return Arrays.toString(Arrays.stream(millis).map(m -> Math.round(m * 10) / 10.0).toArray());
    }

    static AclToken token(AclTokenType type) {
        return new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "t", type, List.of(),
                Instant.parse("2030-01-01T00:00:00Z"), Optional.empty());
    }

    static AclAuthMethod authMethod(String name) {
        return new AclAuthMethod(name, "JWT", "local", Duration.ofHours(1), false, "{\"JWKSURL\":\"file:///j\"}",
                Instant.EPOCH, Instant.EPOCH, 0, 0);
    }

    static AclBindingRule bindingRule(String id, String method) {
        return new AclBindingRule(id, "", method, "", "role", "ops", Instant.EPOCH, Instant.EPOCH, 0, 0);
    }

    static StoredVariable variable(String path, String ciphertext) {
        return new StoredVariable("default", path, "key-1", ciphertext.getBytes(UTF_8), 0, 0, Instant.EPOCH,
                Instant.EPOCH);
    }

}
