package io.taskapi.state.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An agent that closes its etcd state leaves no thread of it behind (agents restart their Task API in-process). */
class ClosingTest {
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
    void closingLeavesNoThreadBehind() throws Exception {
        Set<String> before = threads();
        for (int i = 0; i < 3; i++) {
            EtcdState state = cluster.connectDirect(TestCluster.freshPrefix());
            state.aclTokens();
            state.variables();
            state.nodeRegistry(EtcdNodeRegistryContractTest.node("n"), Duration.ofSeconds(3));
            state.awaitLoaded(Duration.ofSeconds(20));
            state.aclTokens().put(TwoAgentsTest.token(io.taskapi.spi.state.AclTokenType.CLIENT));
            cluster.closeConnections();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Set<String> left = Set.of();
        while (System.nanoTime() - deadline < 0) {
            left = threads().stream().filter(name -> !before.contains(name)).collect(Collectors.toSet());
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(Set.of(), left, "threads left after closing");
    }

    private static Set<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> !List.of("tcp-proxy", "process reaper", "etcd-cluster").stream()
                        .anyMatch(name::startsWith))
                .collect(Collectors.toSet());
    }
}
