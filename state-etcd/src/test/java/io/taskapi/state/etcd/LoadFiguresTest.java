package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Figures for docs/cluster.md, not checks: an agent's start with 10,000 tokens and 1,000 policies in etcd, the heap
 * its caches take, write latency through etcd, and a cached token lookup. Off by default (it writes 11,000 keys):
 * {@code ./mvnw -B -o -q -pl state-etcd -am verify -Dtest=LoadFiguresTest -Detcd.figures=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "etcd.figures", matches = "true")
class LoadFiguresTest {
    private static final int TOKENS = 10_000;
    private static final int POLICIES = 1_000;
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

    @Test
    void startWithTenThousandTokensAndAThousandPolicies() throws Exception {
        String prefix = TestCluster.freshPrefix();
        KeyLayout layout = new KeyLayout(prefix);
        List<AclToken> tokens = new ArrayList<>();
        try (Client client = Client.builder().endpoints(cluster.cluster().endpoints()).build()) {
            List<Op> batch = new ArrayList<>();
            for (int i = 0; i < TOKENS; i++) {
                AclToken token = TwoAgentsTest.token(AclTokenType.CLIENT);
                tokens.add(token);
                batch.add(Op.put(layout.token(token.accessorId()), Codec.token(token), PutOption.DEFAULT));
                batch.add(Op.put(layout.tokenSecret(token.secretId()),
                        io.etcd.jetcd.ByteSequence.from(token.accessorId(), java.nio.charset.StandardCharsets.UTF_8),
                        PutOption.DEFAULT));
                if (batch.size() == 100) {
                    client.getKVClient().txn().Then(batch.toArray(Op[]::new)).commit().get();
                    batch.clear();
                }
            }
            for (int i = 0; i < POLICIES; i++) {
                batch.add(Op.put(layout.policy("policy-" + i), Codec.policy(new AclPolicy("policy-" + i, "",
                        "namespace \"default\" { policy = \"read\" }", Optional.empty(), 0, 0)), PutOption.DEFAULT));
                if (batch.size() == 100) {
                    client.getKVClient().txn().Then(batch.toArray(Op[]::new)).commit().get();
                    batch.clear();
                }
            }
        }

        long heapBefore = usedHeap();
        long started = System.nanoTime();
        EtcdState agent = cluster.connectDirect(prefix);
        agent.aclTokens();
        agent.aclPolicies();
        agent.awaitLoaded(Duration.ofMinutes(2));
        long startMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(TOKENS, agent.aclTokens().list().size());
        assertEquals(POLICIES, agent.aclPolicies().list().size());
        long heapAfter = usedHeap();

        int lookups = 1_000_000;
        long lookupStart = System.nanoTime();
        int found = 0;
        for (int i = 0; i < lookups; i++) {
            found += agent.aclTokens().findBySecretId(tokens.get(i % TOKENS).secretId()).isPresent() ? 1 : 0;
        }
        long lookupNanos = (System.nanoTime() - lookupStart) / lookups;
        assertEquals(lookups, found);

        List<Long> writes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long writeStart = System.nanoTime();
            agent.aclTokens().put(TwoAgentsTest.token(AclTokenType.CLIENT));
            writes.add(System.nanoTime() - writeStart);
        }
        writes.sort(null);
        assertTrue(agent.isReachable());
        System.out.printf("start with %d tokens and %d policies: %d ms; heap of the caches: ~%d MiB (~%d bytes per"
                + " token, policies included); cached token lookup: %d ns; token write through etcd (2 round trips,"
                + " 3 members on one machine): p50 %.1f ms, p99 %.1f ms%n", TOKENS, POLICIES, startMillis,
                (heapAfter - heapBefore) >> 20, (heapAfter - heapBefore) / TOKENS, lookupNanos,
                writes.get(writes.size() / 2) / 1e6, writes.get(writes.size() * 99 / 100) / 1e6);
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
