package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.etcd.jetcd.ByteSequence;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StoredVariable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent reads its own writes at once, under the conditions in which etcd before 3.4.25 sends a progress
 * notification ahead of queued events (etcd-io/etcd#15220): watches that start behind the cluster's revision (another
 * client writes all the time, so etcd must catch each new watch up) and progress asked for all the time (as the
 * heartbeat does, only more often). A store that waited for its cache's revision instead of its write's event would
 * read, now and then, what was there before the write.
 */
class ReadOwnWritesTest {
    private static TestCluster cluster;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<EtcdState> current = new AtomicReference<>();
    private Thread writer;
    private Thread asker;

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
    void stopThreads() throws InterruptedException {
        stop.set(true);
        for (Thread thread : new Thread[] {writer, asker}) {
            if (thread != null) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
        cluster.closeConnections();
    }

    @Test
    void anAgentReadsItsOwnWritesWhileEtcdCatchesItsWatchesUp() throws Exception {
        EtcdState noise = cluster.connect();
        ByteSequence noiseKey = noise.layout().key("noise");
        writer = background("noise writer", () -> noise.client().getKVClient()
                .put(noiseKey, ByteSequence.from(UUID.randomUUID().toString(), UTF_8)).get(5, TimeUnit.SECONDS));
        asker = background("progress asker", () -> {
            EtcdState state = current.get();
            if (state != null) {
                state.client().getWatchClient().requestProgress();
            }
            Thread.sleep(1);
        });
        for (int agent = 0; agent < 10; agent++) {
            EtcdState state = cluster.connect();
            EtcdAclTokenStore tokens = state.aclTokens();
            EtcdAclPolicyStore policies = state.aclPolicies();
            EtcdVariableStore variables = state.variables();
            current.set(state);
            state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
            for (int i = 0; i < 5; i++) {
                String where = "agent " + agent + ", write " + i;
                AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "t" + i,
                        AclTokenType.CLIENT, List.of("p"), Instant.EPOCH, Optional.empty());
                tokens.put(token);
                assertEquals(Optional.of(token), tokens.findBySecretId(token.secretId()), where);
                AclPolicy policy = policies.put(new AclPolicy("p" + i, "", "", Optional.empty(), 0, 0));
                assertEquals(Optional.of(policy), policies.find("p" + i), where);
                StoredVariable variable = variables.put(new StoredVariable("default", "v" + i, "key-1",
                        new byte[] {1}, 0, 0, Instant.EPOCH, Instant.EPOCH), OptionalLong.empty());
                // The ciphertext is an array (no value equality): the index says which write this is.
                assertEquals(Optional.of(variable.modifyIndex()),
                        variables.get("default", "v" + i).map(StoredVariable::modifyIndex), where);
                assertEquals(true, tokens.delete(token.accessorId()), where);
                assertEquals(Optional.empty(), tokens.findByAccessorId(token.accessorId()), where + ", deleted");
            }
        }
    }

    /** Something a background thread does again and again. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private Thread background(String name, Step step) {
        Thread thread = new Thread(() -> {
            while (!stop.get()) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // A slow or refused request: the next one may pass; the test's own asserts decide.
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
