package io.taskapi.plugin.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.auth.AclTokenIdentity;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.auth.WorkloadIdentity;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import io.taskapi.testing.InMemoryAclPolicyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The compiled-ACL cache against policy changes, in particular a delete that lands between the resolver's read of
 * the store and its insert into the cache. The store pauses on a latch right after the read, so the interleaving is
 * forced, not hoped for.
 */
final class TestAclResolver {
    private static final String NODE_READ = "node { policy = \"read\" }";
    private static final AclTokenIdentity CLIENT = new AclTokenIdentity(new AclToken("accessor-1",
            "6d5ad4d8-0c0e-4c84-bc33-1d6a2d4e1a11", "client", AclTokenType.CLIENT, List.of("readers"),
            Instant.EPOCH, Optional.empty()));
    private static final WorkloadIdentity WORKLOAD = new WorkloadIdentity("default", "web", "alloc-1", "server",
            "global:default:web:frontend:server:default", List.of("nomadproject.io"), "kid-1", Optional.empty(),
            Optional.empty());

    private final InMemoryAclPolicyStore store = new InMemoryAclPolicyStore();
    private final PausingPolicyStore pausing = new PausingPolicyStore(store);
    private final AclResolver resolver =
            new AclResolver(pausing, new io.taskapi.testing.InMemoryAclRoleStore(),
                    TaskApiConfig.fromMap(Map.of(TaskApiConfig.ACL_ENABLED, "true")).acl());
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        pausing.release();
        executor.shutdownNow();
        resolver.close();
    }

    @Test
    void aDeletedPolicyGrantsNothingOnTheNextResolve() throws Exception {
        store.createPolicy("readers", NODE_READ);
        assertThat(resolver.resolve(CLIENT).allowNodeRead()).isTrue();

        store.delete("readers");

        assertThat(resolver.resolve(CLIENT).allowNodeRead()).isFalse();
    }

    @Test
    void aTokenPolicyDeletedWhileItIsBeingCompiledIsNotCachedAfterTheDelete() throws Exception {
        store.createPolicy("readers", NODE_READ);

        Acl raced = resolveWhileDeleting(CLIENT, "readers");

        // The racing request may see either side of the delete; the point is what is cached afterwards.
        assertThat(raced.allowNodeRead()).as("the racing request read the policy before the delete").isTrue();
        assertThat(resolver.resolve(CLIENT).allowNodeRead()).as("the next request").isFalse();
    }

    @Test
    void aJobPolicyDeletedWhileItIsBeingCompiledIsNotCachedAfterTheDelete() throws Exception {
        store.createJobPolicy("web-nodes", NODE_READ, new JobAcl("default", "web", "", ""));
        assertThat(resolver.policyNames(WORKLOAD)).containsExactly("web-nodes");

        Acl raced = resolveWhileDeleting(WORKLOAD, "web-nodes");

        assertThat(raced.allowNodeRead()).as("the racing request read the policy before the delete").isTrue();
        assertThat(resolver.resolve(WORKLOAD).allowNodeRead()).as("the next request").isFalse();
    }

    @Test
    void anUnchangedPolicySetIsCompiledOnceAndThenServedFromTheCache() throws Exception {
        store.createPolicy("readers", NODE_READ);
        Acl first = resolver.resolve(CLIENT);
        long lookups = store.faults().lookupCount();

        assertThat(resolver.resolve(CLIENT)).isSameAs(first);
        assertThat(store.faults().lookupCount()).isEqualTo(lookups);
    }

    @Test
    void aChangeUnrelatedToTheRacingReadStillKeepsItsResultOutOfTheCache() throws Exception {
        store.createPolicy("readers", NODE_READ);
        pausing.pauseNextRead();
        Future<Acl> racing = executor.submit(() -> resolver.resolve(CLIENT));
        pausing.awaitPaused();

        store.createPolicy("other", "agent { policy = \"read\" }");
        pausing.release();
        racing.get(30, TimeUnit.SECONDS);

        long lookups = store.faults().lookupCount();
        assertThat(resolver.resolve(CLIENT).allowNodeRead()).isTrue();
        assertThat(store.faults().lookupCount()).as("compiled afresh, not from the cache").isGreaterThan(lookups);
    }

    @Test
    void closingStopsListeningToTheStore() {
        assertThat(store.subscriberCount()).isEqualTo(1);
        resolver.close();
        assertThat(store.subscriberCount()).isZero();
    }

    /** Resolves on another thread, deletes the policy while that thread sits between its read and its insert. */
    private Acl resolveWhileDeleting(Identity identity, String policy) throws Exception {
        pausing.pauseNextRead();
        Future<Acl> racing = executor.submit(() -> resolver.resolve(identity));
        pausing.awaitPaused();

        assertThat(store.delete(policy)).isTrue();   // notifies the resolver on this thread, before returning
        pausing.release();
        return racing.get(30, TimeUnit.SECONDS);
    }

    /**
     * The in-memory store behind the SPI, but a read can be made to stop after it has its answer, until released:
     * the window in which a change used to be lost.
     */
    private static final class PausingPolicyStore implements AclPolicyStore {
        private final AclPolicyStore delegate;
        private volatile CountDownLatch paused = new CountDownLatch(0);
        private volatile CountDownLatch released = new CountDownLatch(0);
        private volatile boolean pauseNext;

        PausingPolicyStore(AclPolicyStore delegate) {
            this.delegate = delegate;
        }

        void pauseNextRead() {
            paused = new CountDownLatch(1);
            released = new CountDownLatch(1);
            pauseNext = true;
        }

        void awaitPaused() throws InterruptedException {
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("the resolver reached the store").isTrue();
        }

        void release() {
            released.countDown();
        }

        @Override
        public Optional<AclPolicy> find(String name) throws StateUnavailableException {
            return pauseAfter(delegate.find(name));
        }

        @Override
        public List<AclPolicy> list() throws StateUnavailableException {
            return pauseAfter(delegate.list());
        }

        @Override
        public AclPolicy put(AclPolicy policy) throws StateUnavailableException {
            return delegate.put(policy);
        }

        @Override
        public boolean delete(String name) throws StateUnavailableException {
            return delegate.delete(name);
        }

        @Override
        public Subscription onChange(Runnable listener) {
            return delegate.onChange(listener);
        }

        private <T> T pauseAfter(T answer) {
            if (pauseNext) {
                pauseNext = false;
                paused.countDown();
                try {
                    if (!released.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the paused read");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while paused", e);
                }
            }
            return answer;
        }
    }
}
