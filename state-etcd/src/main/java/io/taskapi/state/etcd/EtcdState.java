package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's connection to its etcd cluster and the stores on it. Open it once per agent ({@link #connect}), take
 * the stores from it, close it at shutdown.
 *
 * <p>A heartbeat ({@link EtcdStateConfig#heartbeatInterval()}) makes a linearizable read: it tells every cache which
 * revision the cluster is at (so that each knows whether it is current, see {@link WatchedPrefix}) and whether etcd
 * is reachable. While the last heartbeat failed, writes fail at once with {@link StateUnavailableException} instead of
 * waiting for the request timeout; reads keep answering from memory until the staleness bound.
 *
 * <p>A request that times out may still be applied by etcd later: the write is then reported as failed (503) but
 * may have happened, as with any client of a replicated store. Writes are designed so that repeating one is safe.
 */
public final class EtcdState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdState.class);
    private static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;
    /** How late, at most, past the staleness bound the stores tell their listeners that they went stale. */
    private static final Duration STALENESS_SWEEP = Duration.ofMillis(100);

    private final EtcdStateConfig config;
    private final KeyLayout layout;
    private final Client client;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    // Its own thread: the scheduler's can be busy for a request timeout with reads that etcd does not answer.
    private final ScheduledExecutorService stalenessSweep;
    private final List<WatchedPrefix<?>> caches = new CopyOnWriteArrayList<>();
    private final RevisionIndex index = new RevisionIndex();
    private volatile boolean reachable = true;
    private volatile boolean closed;

    private EtcdAclTokenStore aclTokens;
    private EtcdAclPolicyStore aclPolicies;
    private EtcdAclRoleStore aclRoles;
    private EtcdAclAuthMethodStore aclAuthMethods;
    private EtcdVariableStore variables;
    private EtcdNodeMetadataStore nodeMetadata;
    private EtcdNodeRegistry nodeRegistry;
    private EtcdIdentityKeyStore identityKeys;
    private EtcdAllocationRegistry allocations;
    private final Map<String, EtcdAgentViews> views = new HashMap<>();
    private WatchedPrefix<Boolean> liveNodes;
    private EtcdKeyring keyring;
    private EtcdSigningKeyring signingKeys;

    private EtcdState(EtcdStateConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.layout = new KeyLayout(config.keyPrefix());
        this.client = client(config);
        this.scheduler = Executors.newScheduledThreadPool(2, daemonThreads());
        this.stalenessSweep = Executors.newSingleThreadScheduledExecutor(daemonThreads());
    }

    private static Client client(EtcdStateConfig config) {
        ClientBuilder builder = Client.builder().endpoints(config.endpoints()).maxInboundMessageSize(MAX_INBOUND_BYTES)
                .connectTimeout(config.requestTimeout());
        config.credentials().ifPresent(credentials -> builder.user(ByteSequence.from(credentials.user(), UTF_8))
                .password(ByteSequence.from(credentials.password(), UTF_8)));
        if (config.tls().isPresent()) {
            EtcdStateConfig.Tls tls = config.tls().get();
            try {
                builder.sslContext(ssl -> {
                    ssl.trustManager(tls.caCert().toFile());
                    if (tls.clientCert().isPresent()) {
                        ssl.keyManager(tls.clientCert().get().toFile(), tls.clientKey().orElseThrow().toFile());
                    }
                });
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot use the TLS files: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /**
     * Connects (lazily: nothing fails here when etcd is down; the stores then answer 503 until it is up).
     *
     * @param config the cluster and timings
     * @return the connection
     */
    public static EtcdState connect(EtcdStateConfig config) {
        return connect(config, Clock.systemUTC());
    }

    /**
     * @param config the cluster and timings
     * @param clock the clock for the times stored with variables
     * @return the connection
     */
    public static EtcdState connect(EtcdStateConfig config, Clock clock) {
        EtcdState state = new EtcdState(requireNonNull(config, "config is null"), requireNonNull(clock, "clock"));
        long interval = config.heartbeatInterval().toNanos();
        ScheduledFuture<?> unused = state.scheduler.scheduleWithFixedDelay(state::heartbeat, interval, interval,
                TimeUnit.NANOSECONDS);
        long sweep = STALENESS_SWEEP.toNanos();
        unused = state.stalenessSweep.scheduleWithFixedDelay(state::sweepStaleness, sweep,
                sweep, TimeUnit.NANOSECONDS);
        return state;
    }

    /** @return the ACL token store (one per connection) */
    public synchronized EtcdAclTokenStore aclTokens() {
        if (aclTokens == null) {
            aclTokens = new EtcdAclTokenStore(this);
        }
        return aclTokens;
    }

    /** @return the ACL policy store (one per connection) */
    public synchronized EtcdAclPolicyStore aclPolicies() {
        if (aclPolicies == null) {
            aclPolicies = new EtcdAclPolicyStore(this);
        }
        return aclPolicies;
    }

    /** @return the ACL role store (one per connection) */
    public synchronized EtcdAclRoleStore aclRoles() {
        if (aclRoles == null) {
            aclRoles = new EtcdAclRoleStore(this);
        }
        return aclRoles;
    }

    /** @return the ACL auth method and binding rule store (one per connection) */
    public synchronized EtcdAclAuthMethodStore aclAuthMethods() {
        if (aclAuthMethods == null) {
            aclAuthMethods = new EtcdAclAuthMethodStore(this);
        }
        return aclAuthMethods;
    }

    /** @return the variable store (one per connection) */
    public synchronized EtcdVariableStore variables() {
        if (variables == null) {
            variables = new EtcdVariableStore(this);
        }
        return variables;
    }

    /** @return the node metadata store (one per connection) */
    public synchronized EtcdNodeMetadataStore nodeMetadata() {
        if (nodeMetadata == null) {
            nodeMetadata = new EtcdNodeMetadataStore(this);
        }
        return nodeMetadata;
    }

    /**
     * Registers this agent's node under a lease and answers for every agent's node. Once per connection.
     *
     * @param local this agent's node
     * @param ttl how long after the agent stops renewing its lease the node is down everywhere (at least 2 s)
     * @return the registry
     */
    public synchronized EtcdNodeRegistry nodeRegistry(NodeInfo local, Duration ttl) {
        if (nodeRegistry != null) {
            throw new IllegalStateException("this agent's node is registered already");
        }
        nodeRegistry = new EtcdNodeRegistry(this, local, ttl, liveNodes());
        return nodeRegistry;
    }

    /** @return the public keys that verify workload identities (one store per connection) */
    public synchronized EtcdIdentityKeyStore identityKeys() {
        if (identityKeys == null) {
            identityKeys = new EtcdIdentityKeyStore(this);
        }
        return identityKeys;
    }

    /**
     * @param kind what the views are of ({@code jobs}, {@code allocations})
     * @return every agent's views of that kind (one store per kind and connection)
     */
    public synchronized EtcdAgentViews views(String kind) {
        return views.computeIfAbsent(kind, k -> new EtcdAgentViews(this, k));
    }

    /** @return every agent's allocations (one registry per connection) */
    public synchronized EtcdAllocationRegistry allocations() {
        if (allocations == null) {
            allocations = new EtcdAllocationRegistry(this, liveNodes());
        }
        return allocations;
    }

    /**
     * The cluster's variable keyring. Once per connection.
     *
     * @param rootKey the root key that wraps the keys in etcd; empty: the keyring is sealed (503 for variables)
     * @return the keyring
     */
    public synchronized EtcdKeyring keyring(Optional<RootKey> rootKey) {
        if (keyring != null) {
            throw new IllegalStateException("the keyring is open already");
        }
        keyring = new EtcdKeyring(this, rootKey);
        return keyring;
    }

    /**
     * The keys that sign workload identities for the whole cluster (their public halves are
     * {@link #identityKeys()}'). Once per connection.
     *
     * @param rootKey the root key that wraps the private keys in etcd; empty: signing is sealed
     * @return the signing keyring
     */
    public synchronized EtcdSigningKeyring signingKeys(Optional<RootKey> rootKey) {
        if (signingKeys != null) {
            throw new IllegalStateException("the signing keyring is open already");
        }
        signingKeys = new EtcdSigningKeyring(this, rootKey, identityKeys());
        return signingKeys;
    }

    private synchronized WatchedPrefix<Boolean> liveNodes() {
        if (liveNodes == null) {
            liveNodes = cache("live nodes", KeyLayout.NODES_ALIVE, (key, value, create, modify) -> Boolean.TRUE,
                    null);
        }
        return liveNodes;
    }

    /**
     * Waits until every store taken so far has loaded its cache.
     *
     * @param timeout how long at most
     * @throws StateUnavailableException when one has not loaded in time
     */
    public void awaitLoaded(Duration timeout) throws StateUnavailableException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (WatchedPrefix<?> cache : caches) {
            while (!cache.isLoaded()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new StateUnavailableException("etcd did not answer within " + timeout + " (" + cache + ")");
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StateUnavailableException("interrupted while loading from etcd", e);
                }
            }
        }
    }

    /**
     * Gives an agent's state builder what the plugin's API reads and writes, all from this connection: ACL tokens,
     * policies, roles, auth methods and binding rules, node metadata, variables, the variable keyring and the store
     * index. The agent adds its nodes, allocations and identity keys. Once per connection (the keyring opens once).
     *
     * @param builder the agent's state builder
     * @param rootKey the root key that wraps the variable keys; empty: variables answer 503 sealed
     * @return the builder
     */
    public AgentState.Builder withApiStores(AgentState.Builder builder, Optional<RootKey> rootKey) {
        return builder.aclTokens(aclTokens()).aclPolicies(aclPolicies()).aclRoles(aclRoles())
                .aclAuthMethods(aclAuthMethods()).nodeMetadata(nodeMetadata()).variables(variables())
                .variableKeys(keyring(rootKey)).storeIndex(index());
    }

    /**
     * Nomad's index for everything this connection caches: the etcd revision of the last change any of its stores
     * has seen. Every agent on the cluster reaches the same index for the same state, so {@code X-Nomad-Index} and a
     * record's {@code ModifyIndex} agree between agents; give it to the plugin ({@code AgentState.Builder.storeIndex}).
     *
     * @return the index
     */
    public AgentStateIndex index() {
        return index;
    }

    /** @return whether the last heartbeat reached etcd */
    public boolean isReachable() {
        return reachable;
    }

    EtcdStateConfig config() {
        return config;
    }

    KeyLayout layout() {
        return layout;
    }

    Client client() {
        return client;
    }

    Clock clock() {
        return clock;
    }

    <T> WatchedPrefix<T> cache(String what, String relativePrefix, WatchedPrefix.Decoder<T> decoder,
                               java.util.function.Function<T, String> secondaryKey) {
        WatchedPrefix<T> cache = new WatchedPrefix<>(what, this, relativePrefix, decoder, secondaryKey);
        caches.add(cache);
        index.add(cache);
        Subscription unused = cache.onChange(index::changed);
        cache.start();
        return cache;
    }

    void schedule(Runnable task, long delayMillis) {
        if (closed) {
            return;
        }
        try {
            ScheduledFuture<?> unused = scheduler.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("an etcd background task failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    Watch.Watcher watch(ByteSequence prefix, long fromRevision, Watch.Listener listener) {
        // requireLeader: a member cut off from the quorum ends the watch instead of keeping it open and silent.
        return client.getWatchClient().watch(prefix, WatchOption.builder().isPrefix(true).withRevision(fromRevision)
                .withRequireLeader(true).build(), listener);
    }

    /**
     * A request that reads (or the read half of a write): waits up to the request timeout.
     *
     * @param what what it does, for the message ("read the ACL tokens")
     * @param request starts the request
     * @return its response
     * @throws StateUnavailableException when etcd does not answer in time or fails
     */
    <R> R read(String what, Supplier<CompletableFuture<R>> request) throws StateUnavailableException {
        return read(what, request, config.requestTimeout());
    }

    private <R> R read(String what, Supplier<CompletableFuture<R>> request, Duration timeout)
            throws StateUnavailableException {
        if (closed) {
            throw new StateUnavailableException("the etcd state is closed: cannot " + what);
        }
        CompletableFuture<R> future;
        try {
            future = request.get();
        } catch (RuntimeException e) {
            throw new StateUnavailableException("etcd failed to " + what + ": " + e.getMessage(), e);
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StateUnavailableException("etcd did not answer within " + timeout.toMillis()
                    + " ms: cannot " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StateUnavailableException("etcd failed to " + what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StateUnavailableException("interrupted: cannot " + what, e);
        }
    }

    /**
     * A request that writes: fails at once while the heartbeat says etcd is unreachable.
     *
     * @param what what it does, for the message
     * @param request starts the request
     * @return its response
     * @throws StateUnavailableException when etcd is unreachable, does not answer in time, or fails
     */
    <R> R write(String what, Supplier<CompletableFuture<R>> request) throws StateUnavailableException {
        if (!reachable) {
            throw new StateUnavailableException("etcd is unreachable: cannot " + what);
        }
        return read(what, request);
    }

    private void heartbeat() {
        long sent = System.nanoTime();
        GetResponse response;
        try {
            // A shorter timeout than a request's: writes start failing fast soon after etcd goes away.
            response = read("check that etcd is reachable", () -> client.getKVClient().get(layout.key(""),
                    GetOption.builder().withCountOnly(true).build()), heartbeatTimeout());
        } catch (StateUnavailableException e) {
            if (reachable) {
                LOG.warn("etcd is unreachable: {}", e.getMessage());
            }
            reachable = false;
            return;
        }
        if (!reachable) {
            LOG.info("etcd is reachable again");
        }
        reachable = true;
        long revision = response.getHeader().getRevision();
        for (WatchedPrefix<?> cache : caches) {
            cache.probe(sent, revision);
        }
    }

    /**
     * A cache past the staleness bound tells its listeners (the plugin's caches of verified tokens and compiled ACLs
     * drop what they derived from it), so that a disconnected agent stops authenticating within the bound (plus this
     * sweep's period), not only the requests that reach the store.
     */
    private void sweepStaleness() {
        boolean wentStale = false;
        for (WatchedPrefix<?> cache : caches) {
            try {
                wentStale |= cache.tellIfStale();
            } catch (RuntimeException e) {
                LOG.warn("telling of a stale cache failed", e); // never ends the sweep
            }
        }
        if (wentStale) {
            LOG.warn("etcd has not confirmed the cached state within the staleness bound ({} ms): answering 503 until"
                    + " it does", config.stalenessBound().toMillis());
        }
    }

    private Duration heartbeatTimeout() {
        Duration twoBeats = config.heartbeatInterval().multipliedBy(2);
        // Not under 2 s: a loaded machine must not pass for an unreachable cluster (writes would fail for nothing).
        Duration atLeast = twoBeats.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : twoBeats;
        return atLeast.compareTo(config.requestTimeout()) > 0 ? config.requestTimeout() : atLeast;
    }

    @Override
    public void close() {
        EtcdNodeRegistry registry;
        synchronized (this) {
            registry = nodeRegistry;
        }
        if (registry != null) {
            registry.close();
        }
        closed = true;
        scheduler.shutdownNow();
        stalenessSweep.shutdownNow();
        for (WatchedPrefix<?> cache : caches) {
            cache.close();
        }
        client.close();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "taskapi-etcd-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
