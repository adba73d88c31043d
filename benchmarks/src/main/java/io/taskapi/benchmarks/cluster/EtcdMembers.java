package io.taskapi.benchmarks.cluster;

import io.taskapi.benchmarks.server.BenchServer;
import io.taskapi.testing.etcd.EtcdCluster;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * A private etcd cluster for {@code benchmarks/run cluster}: {@code N} members of the {@code etcd} binary on free
 * loopback ports with temporary data directories ({@link EtcdCluster}), until SIGTERM, which stops and deletes them.
 * Prints {@code etcd: ready endpoints=URL,… pids=PID,…} once every member is healthy (the pids for CPU figures).
 */
public final class EtcdMembers {
    private EtcdMembers() {}

    /**
     * @param args {@code [N]} members, 3 by default
     * @throws Exception when the members cannot start
     */
    public static void main(String[] args) throws Exception {
        BenchServer.configureLogging();
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        EtcdCluster cluster = EtcdCluster.start(size);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            System.out.println("etcd: stopped");
            System.out.flush();
            stopped.countDown();
        }, "etcd-members-stop"));
        String pids = ProcessHandle.current().children().map(child -> Long.toString(child.pid()))
                .collect(Collectors.joining(","));
        System.out.println("etcd: ready endpoints=" + cluster.endpoints().stream().map(URI::toString)
                .collect(Collectors.joining(",")) + " pids=" + pids + " leader=" + cluster.awaitLeader());
        System.out.flush();
        stopped.await();
    }
}
