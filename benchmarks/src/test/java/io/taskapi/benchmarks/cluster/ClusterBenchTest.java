package io.taskapi.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.benchmarks.server.BenchOptions;
import io.taskapi.benchmarks.server.BenchServer;
import io.taskapi.state.etcd.EtcdState;
import io.taskapi.state.etcd.EtcdStateConfig;
import io.taskapi.testing.UnixHttpClient;
import io.taskapi.testing.etcd.EtcdCluster;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code benchmarks/run cluster} runs, small: two benchmark servers on one etcd (one member), a token revoked
 * through one refused on the other, and the seeding of a prefix. Skipped without the etcd binary (not as root).
 */
class ClusterBenchTest {
    private static EtcdCluster etcd;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private BenchServer server(String name) throws Exception {
        String endpoints = etcd.endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
        return BenchServer.start(BenchOptions.parse(new String[] {"--socket", dir.resolve(name + ".sock").toString(),
            "--state", "etcd", "--etcd-endpoints", endpoints, "--etcd-prefix", "/bench-test",
            "--root-key-file", dir.resolve("root.key").toString(), "--node-name", name}));
    }

    @Test
    void twoServersOnOneEtcdAgreeOnRevocations() throws Exception {
        try (BenchServer one = server("one"); BenchServer two = server("two");
             UnixHttpClient first = UnixHttpClient.at(one.socket());
             UnixHttpClient second = UnixHttpClient.at(two.socket())) {
            one.openIdleSockets(2);
            assertThat(second.get("/v1/client/metadata").token(two.credentials().jwt()).send().status())
                    .isEqualTo(200);
            // The management token minted by one is in etcd: two accepts it too.
            assertThat(second.get("/v1/client/metadata").token(one.credentials().aclSecret()).send().status())
                    .isEqualTo(200);

            Revocations.Delays delays = new Revocations(List.of(first, second), one.credentials().aclSecret()).run(2);

            assertThat(delays.revocations().count()).isEqualTo(2);
            assertThat(delays.creations().count()).isEqualTo(2);
            assertThat(delays.refusedStatus()).isEqualTo(403);
        }
    }

    @Test
    void seedsTokensAndPolicies() throws Exception {
        try (EtcdState state = EtcdState.connect(EtcdStateConfig.of(etcd.endpoints(), "/seed-test"))) {
            EtcdSeed.seed(state, 20, 3);
            assertThat(state.aclTokens().list()).hasSize(20);
            assertThat(state.aclPolicies().list()).hasSize(3);
        }
    }
}
