package io.taskapi.state.etcd;

import io.taskapi.spi.state.NodeDriver;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.testing.contract.NodeRegistryContract;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The NodeRegistryContract on a real 3-member etcd cluster: this agent's node and another agent's. */
class EtcdNodeRegistryContractTest extends NodeRegistryContract<EtcdNodeRegistry> {
    static final Duration TTL = Duration.ofSeconds(3);
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

    static NodeInfo node(String name) {
        return new NodeInfo(UUID.randomUUID().toString(), name, "dc1", "default", "", "ready",
                Map.of("kernel.name", "linux"), Map.of("rack", "r1"), Map.of("exec", new NodeDriver(true, true,
                        "Healthy", Instant.parse("2030-01-01T00:00:00.000000001Z"), Map.of("driver.exec", "1"))));
    }

    @Override
    protected EtcdNodeRegistry createStore() throws Exception {
        String prefix = TestCluster.freshPrefix();
        EtcdState other = cluster.connectDirect(prefix);
        EtcdNodeRegistry otherRegistry = other.nodeRegistry(node("other"), TTL);
        EtcdState state = cluster.connect(prefix);
        EtcdNodeRegistry registry = state.nodeRegistry(node("local"), TTL);
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        TwoAgentsTest.awaitPresent(() -> registry.find(registry.localNodeId()).filter(n -> n.status()
                .equals("ready")), true);
        TwoAgentsTest.awaitPresent(() -> registry.find(otherRegistry.localNodeId()).filter(n -> n.status()
                .equals("ready")), true);
        return registry;
    }

    @Override
    protected void closeStore(EtcdNodeRegistry store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdNodeRegistry store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(store::list);
        return true;
    }
}
