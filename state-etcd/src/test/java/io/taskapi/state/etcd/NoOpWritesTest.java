package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StoredVariable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A write that changes nothing in a cache (a delete of nothing, a lost check-and-set, a second bootstrap) does not
 * wait for an event: none is coming, and a wait for one would hold the request for the whole request timeout, then
 * log that the cache "did not see revision …". No such line may appear.
 */
class NoOpWritesTest {
    private static TestCluster cluster;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(WatchedPrefix.class);

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

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
        cluster.closeConnections();
    }

    /** A write that may fail. */
    @FunctionalInterface
    private interface Write {
        void run() throws Exception;
    }

    @Test
    void aWriteThatChangesNothingWaitsForNoEvent() throws Exception {
        EtcdState state = cluster.connect();
        EtcdAclPolicyStore policies = state.aclPolicies();
        EtcdAclTokenStore tokens = state.aclTokens();
        EtcdVariableStore variables = state.variables();
        EtcdAgentViews views = state.views("jobs");
        EtcdAllocationRegistry allocations = state.allocations();
        EtcdIdentityKeyStore identityKeys = state.identityKeys();
        EtcdSigningKeyring signingKeys = state.signingKeys(Optional.empty());
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        AclToken management = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "root",
                AclTokenType.MANAGEMENT, List.of(), Instant.EPOCH, Optional.empty());
        tokens.bootstrap(management);
        StoredVariable stored = variables.put(new StoredVariable("default", "v", "key-1", new byte[] {1}, 0, 0,
                Instant.EPOCH, Instant.EPOCH), OptionalLong.empty());
        views.put("node-1", "job-1", "{}");
        EtcdNodeMetadataStore metadata = state.nodeMetadata();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        AtomicInteger writes = new AtomicInteger();
        Write elsewhere = () -> metadata.write("node-1",
                Map.of("n", Optional.of(String.valueOf(writes.incrementAndGet()))));
        synchronized (logs) {
            logs.list.clear();
        }

        // Before each: a write elsewhere, so that the no-op's revision is past every change of the store's prefix
        // (a wrongful wait would then have nothing to end it).
        elsewhere.run();
        assertFalse(policies.delete("absent"));
        elsewhere.run();
        assertFalse(tokens.delete("absent"));
        AclToken another = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "again",
                AclTokenType.MANAGEMENT, List.of(), Instant.EPOCH, Optional.empty());
        elsewhere.run();
        assertFalse(tokens.bootstrap(another));
        elsewhere.run();
        assertFalse(variables.delete("default", "absent", OptionalLong.empty()));
        elsewhere.run();
        assertFalse(variables.delete("default", "absent", OptionalLong.of(0)));
        elsewhere.run();
        // A stale index: the transaction's Else branch runs (no write, no event).
        assertThrows(CasConflictException.class, () -> variables.delete("default", "v",
                OptionalLong.of(stored.modifyIndex() + 1_000_000)));
        elsewhere.run();
        assertThrows(CasConflictException.class, () -> variables.put(new StoredVariable("default", "v", "key-1",
                new byte[] {2}, 0, 0, Instant.EPOCH, Instant.EPOCH), OptionalLong.of(stored.modifyIndex() - 1)));
        elsewhere.run();
        views.delete("node-1", "absent");
        elsewhere.run();
        assertFalse(allocations.forget("absent"));
        elsewhere.run();
        assertFalse(identityKeys.retire("absent"));
        elsewhere.run();
        assertFalse(signingKeys.retire("absent"));

        List<String> lines;
        synchronized (logs) {
            // The appender adds under its own lock, from the watch's threads.
            lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
        assertEquals(List.of(), lines.stream().filter(line -> line.contains("did not see revision")).toList());
        assertEquals(Optional.of(stored.modifyIndex()),
                variables.get("default", "v").map(StoredVariable::modifyIndex));
    }
}
