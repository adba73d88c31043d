package io.taskapi.state.etcd;

import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.testing.etcd.EtcdCluster;
import io.taskapi.testing.etcd.TcpProxy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A 3-member cluster for one test class, with a proxy in front of each member so that a test can cut its agents off
 * ({@link #cutLinks()}) while the cluster runs on. Each {@link #connect()} gets a fresh key prefix: tests on one
 * cluster see nothing of each other.
 */
final class TestCluster implements AutoCloseable {
    /** Short timings, so that the failure tests take seconds; long enough for a loaded machine. */
    static final Duration BOUND = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    static final Duration HEARTBEAT = Duration.ofMillis(200);

    private final EtcdCluster cluster;
    private final List<TcpProxy> proxies;
    private final List<EtcdState> opened = new ArrayList<>();

    private TestCluster(EtcdCluster cluster, List<TcpProxy> proxies) {
        this.cluster = cluster;
        this.proxies = proxies;
    }

    static TestCluster start() throws IOException {
        EtcdCluster cluster = EtcdCluster.start(3);
        try {
            return new TestCluster(cluster, TcpProxy.toEach(cluster.clientPorts()));
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    EtcdCluster cluster() {
        return cluster;
    }

    /** @return a fresh key prefix */
    static String freshPrefix() {
        return "/test-" + UUID.randomUUID();
    }

    /** @return a connection through the proxies under a fresh prefix */
    EtcdState connect() {
        return connect(freshPrefix());
    }

    /**
     * @param prefix the key prefix (two connections with one prefix are two agents of one deployment)
     * @return a connection through the proxies
     */
    EtcdState connect(String prefix) {
        List<URI> endpoints = proxies.stream().map(TcpProxy::endpoint).toList();
        EtcdState state = EtcdState.connect(EtcdStateConfig.of(endpoints, prefix).withTimings(BOUND,
                REQUEST_TIMEOUT, HEARTBEAT));
        opened.add(state);
        return state;
    }

    /**
     * @param prefix the key prefix
     * @return a connection straight to the members (not cut by {@link #cutLinks()})
     */
    EtcdState connectDirect(String prefix) {
        EtcdState state = EtcdState.connect(EtcdStateConfig.of(cluster.endpoints(), prefix).withTimings(BOUND,
                REQUEST_TIMEOUT, HEARTBEAT));
        opened.add(state);
        return state;
    }

    /** Cuts every proxied connection off the cluster. */
    void cutLinks() {
        proxies.forEach(TcpProxy::cut);
    }

    /** Lets proxied connections through again. */
    void restoreLinks() {
        proxies.forEach(TcpProxy::restore);
    }

    /** A read through a store. */
    @FunctionalInterface
    interface Read {
        void run() throws Exception;
    }

    /**
     * Waits until a read throws {@link StateUnavailableException} (the staleness bound passed), for up to four
     * bounds.
     *
     * @param read the read
     */
    static void awaitUnavailable(Read read) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.multipliedBy(4).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                read.run();
            } catch (StateUnavailableException e) {
                return;
            } catch (Exception e) {
                throw new AssertionError("the read failed otherwise", e);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("reads still answer " + BOUND.multipliedBy(4) + " after the links were cut");
    }

    /** Closes every connection made here; the cluster keeps running. */
    void closeConnections() {
        restoreLinks();
        opened.forEach(EtcdState::close);
        opened.clear();
    }

    @Override
    public void close() {
        closeConnections();
        proxies.forEach(TcpProxy::close);
        cluster.close();
    }
}
