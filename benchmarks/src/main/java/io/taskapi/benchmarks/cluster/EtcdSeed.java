package io.taskapi.benchmarks.cluster;

import io.taskapi.benchmarks.server.BenchServer;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.state.etcd.EtcdAclPolicyStore;
import io.taskapi.state.etcd.EtcdAclTokenStore;
import io.taskapi.state.etcd.EtcdState;
import io.taskapi.state.etcd.EtcdStateConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes ACL policies and client tokens (each naming one of the policies) under a key prefix, through the etcd stores
 * an agent uses: the state an agent then starts with ({@code benchmarks/run cluster}). Several writers at once (a
 * write waits for etcd's quorum).
 *
 * <p>{@code EtcdSeed --etcd-endpoints URL,… --etcd-prefix P --tokens N --policies M}
 */
public final class EtcdSeed {
    private static final int WRITERS = 16;

    private EtcdSeed() {}

    /**
     * @param args the command line
     * @throws Exception when etcd refuses
     */
    public static void main(String[] args) throws Exception {
        BenchServer.configureLogging();
        List<URI> endpoints = List.of();
        String prefix = "/taskapi-seeded";
        int tokens = 10_000;
        int policies = 1_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--etcd-endpoints" -> endpoints = Arrays.stream(args[i + 1].split(",")).map(URI::create).toList();
                case "--etcd-prefix" -> prefix = args[i + 1];
                case "--tokens" -> tokens = Integer.parseInt(args[i + 1]);
                case "--policies" -> policies = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long started = System.nanoTime();
        try (EtcdState etcd = EtcdState.connect(EtcdStateConfig.of(endpoints, prefix))) {
            seed(etcd, tokens, policies);
        }
        System.out.printf("seed: prefix=%s tokens=%d policies=%d ms=%d%n", prefix, tokens, policies,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * @param etcd the connection
     * @param tokens how many client tokens
     * @param policies how many policies (at least one when there are tokens)
     * @throws Exception when a write fails
     */
    static void seed(EtcdState etcd, int tokens, int policies) throws Exception {
        EtcdAclPolicyStore policyStore = etcd.aclPolicies();
        EtcdAclTokenStore tokenStore = etcd.aclTokens();
        etcd.awaitLoaded(Duration.ofSeconds(60));
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < policies; i++) {
                AclPolicy policy = new AclPolicy(policyName(i), "seeded",
                        "namespace \"ns-" + i + "\" { policy = \"read\" }", Optional.empty(), 0, 0);
                writes.add(writers.submit(() -> policyStore.put(policy)));
            }
            await(writes);
            for (int i = 0; i < tokens; i++) {
                AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        "seeded-" + i, AclTokenType.CLIENT, List.of(policyName(i % Math.max(1, policies))),
                        Instant.now(), Optional.empty());
                writes.add(writers.submit(() -> {
                    tokenStore.put(token);
                    return null;
                }));
            }
            await(writes);
        } finally {
            writers.shutdownNow();
        }
    }

    private static String policyName(int i) {
        return "seeded-" + i;
    }

    private static void await(List<Future<?>> writes) throws Exception {
        for (Future<?> write : writes) {
            write.get();
        }
        writes.clear();
    }
}
