package io.taskapi.state.etcd;

import static io.taskapi.state.etcd.TwoAgentsTest.awaitPresent;
import static io.taskapi.state.etcd.TwoAgentsTest.token;
import static io.taskapi.state.etcd.TwoAgentsTest.variable;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.Subscription;
import io.taskapi.testing.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster fails under the agents: a leader killed during acknowledged writes loses none of them; a majority
 * stopped makes writes fail and, after the staleness bound, reads; the agents recover by themselves when it is back.
 * Every test leaves all members running.
 */
class ClusterFailuresTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestCluster cluster;

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

    @AfterEach
    void everyMemberRunsAgain() throws IOException {
        cluster.closeConnections();
        EtcdCluster members = cluster.cluster();
        for (int i = 0; i < members.size(); i++) {
            if (!members.isRunning(i)) {
                members.restart(i);
            }
        }
        for (int i = 0; i < members.size(); i++) {
            members.awaitHealthy(i);
        }
    }

    @Test
    void aLeaderKilledDuringAcknowledgedWritesLosesNoneOfThem() throws Exception {
        String prefix = TestCluster.freshPrefix();
        List<EtcdState> agents = List.of(cluster.connectDirect(prefix), cluster.connectDirect(prefix));
        for (EtcdState agent : agents) {
            agent.variables();
            agent.awaitLoaded(WAIT);
        }
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            EtcdState agent = agents.get(w % 2);
            String writer = "w" + w;
            writers.add(new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    String path = writer + "/" + n;
                    String value = writer + " wrote " + n;
                    try {
                        agent.variables().put(variable(path, value), OptionalLong.empty());
                        acknowledged.put(path, value);
                        acknowledgedAt.add(System.nanoTime());
                        if (killed.get()) {
                            afterKill.incrementAndGet();
                        }
                    } catch (StateUnavailableException e) {
                        failed.incrementAndGet();
                        pause();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "writer-" + w));
        }
        writers.forEach(Thread::start);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (acknowledged.size() < 100 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            int leader = cluster.cluster().awaitLeader();
            long killedAt = System.nanoTime();
            cluster.cluster().kill(leader);
            killed.set(true);
            while (afterKill.get() < 100 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertTrue(afterKill.get() >= 100, "the agents did not keep writing after the leader died: "
                    + afterKill.get());
            System.out.println("killed leader m" + leader + "; " + acknowledged.size() + " acknowledged writes, "
                    + failed.get() + " failed; longest gap in acknowledgements around the kill: "
                    + longestGapMillis(acknowledgedAt, killedAt) + " ms");
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(WAIT.toMillis());
            }
        }

        // Every acknowledged write is in etcd (a new agent reads them all) and in both agents' caches.
        EtcdState fresh = cluster.connectDirect(prefix);
        fresh.variables();
        fresh.awaitLoaded(WAIT);
        for (EtcdState reader : List.of(fresh, agents.get(0), agents.get(1))) {
            for (Map.Entry<String, String> write : acknowledged.entrySet()) {
                Optional<StoredVariable> found = TwoAgentsTest.awaitValueOrEmpty(
                        () -> reader.variables().get("default", write.getKey()));
                assertTrue(found.isPresent(), "an acknowledged write is lost: " + write.getKey());
                assertArrayEquals(write.getValue().getBytes(UTF_8), found.get().ciphertext());
            }
        }
    }

    @Test
    void withAMajorityStoppedWritesFailReadsFailAfterTheBoundAndBothRecover() throws Exception {
        EtcdState agent = cluster.connectDirect(TestCluster.freshPrefix());
        agent.aclTokens();
        agent.awaitLoaded(WAIT);
        AclToken token = token(AclTokenType.CLIENT);
        agent.aclTokens().put(token);
        AtomicInteger told = new AtomicInteger();
        Subscription unused = agent.aclTokens().onChange(told::incrementAndGet);

        int leader = cluster.cluster().awaitLeader();
        int other = (leader + 1) % cluster.cluster().size();
        long stoppedAt = System.nanoTime();
        cluster.cluster().stop(leader);
        cluster.cluster().stop(other);

        assertThrows(StateUnavailableException.class, () -> agent.aclTokens().put(token(AclTokenType.CLIENT)));
        long servedUntil = stoppedAt;
        long giveUp = stoppedAt + TestCluster.BOUND.multipliedBy(10).toNanos();
        while (true) {
            try {
                assertEquals(Optional.of(token), agent.aclTokens().findBySecretId(token.secretId()));
                servedUntil = System.nanoTime();
            } catch (StateUnavailableException expected) {
                break;
            }
            assertTrue(System.nanoTime() - giveUp < 0, "reads still answer long past the staleness bound");
            Thread.sleep(20);
        }
        assertFalse(agent.isReachable());
        // Its listeners hear that it went stale (the plugin's verified-token cache drops what it remembered).
        long toldBy = System.nanoTime() + WAIT.toNanos();
        while (told.get() == 0) {
            assertTrue(System.nanoTime() - toldBy < 0, "the listeners were not told that the cache went stale");
            Thread.sleep(10);
        }
        long before = System.nanoTime();
        assertThrows(StateUnavailableException.class, () -> agent.aclTokens().put(token(AclTokenType.CLIENT)));
        System.out.println("majority stopped: reads served from the cache for "
                + (servedUntil - stoppedAt) / 1_000_000 + " ms (bound " + TestCluster.BOUND.toMillis()
                + " ms); a write then failed in " + (System.nanoTime() - before) / 1_000_000 + " ms");

        cluster.cluster().restart(leader);
        cluster.cluster().restart(other);
        cluster.cluster().awaitHealthy(leader);
        awaitPresent(() -> agent.aclTokens().findBySecretId(token.secretId()), true);
        AclToken after = token(AclTokenType.CLIENT);
        long recoverDeadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                agent.aclTokens().put(after);
                break;
            } catch (StateUnavailableException e) {
                assertTrue(System.nanoTime() - recoverDeadline < 0, "writes did not recover: " + e.getMessage());
                Thread.sleep(50);
            }
        }
        assertEquals(Optional.of(after), agent.aclTokens().findBySecretId(after.secretId()));
    }

    /** A writer whose write failed waits a little, as a client retrying would (writes fail fast while down). */
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long longestGapMillis(ConcurrentLinkedQueue<Long> times, long around) {
        List<Long> sorted = times.stream().sorted().toList();
        long longest = 0;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i) > around - 1_000_000_000L) {
                longest = Math.max(longest, sorted.get(i) - sorted.get(i - 1));
            }
        }
        return longest / 1_000_000;
    }
}
