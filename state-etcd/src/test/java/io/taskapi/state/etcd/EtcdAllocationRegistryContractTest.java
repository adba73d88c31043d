package io.taskapi.state.etcd;

import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.testing.contract.AllocationRegistryContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AllocationRegistryContract on a real 3-member etcd cluster, the allocations on this agent's live node. */
class EtcdAllocationRegistryContractTest extends AllocationRegistryContract<EtcdAllocationRegistry> {
    private static TestCluster cluster;
    private String nodeId;

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

    @Override
    protected EtcdAllocationRegistry createStore() throws Exception {
        EtcdState state = cluster.connect();
        EtcdNodeRegistry nodes = state.nodeRegistry(EtcdNodeRegistryContractTest.node("local"),
                EtcdNodeRegistryContractTest.TTL);
        EtcdAllocationRegistry registry = state.allocations();
        state.awaitLoaded(TestCluster.REQUEST_TIMEOUT.multipliedBy(5));
        nodeId = nodes.localNodeId();
        TwoAgentsTest.awaitPresent(() -> nodes.isAlive(nodeId) ? java.util.Optional.of(true)
                : java.util.Optional.empty(), true);
        return registry;
    }

    @Override
    protected void markLive(EtcdAllocationRegistry registry, String allocationId, AllocationWorkload workload)
            throws Exception {
        registry.markLive(allocationId, nodeId, workload);
    }

    @Override
    protected void markTerminal(EtcdAllocationRegistry registry, String allocationId) throws Exception {
        registry.markTerminal(allocationId);
    }

    @Override
    protected boolean forget(EtcdAllocationRegistry registry, String allocationId) throws Exception {
        return registry.forget(allocationId);
    }

    @Override
    protected void closeStore(EtcdAllocationRegistry store) {
        cluster.closeConnections();
    }

    @Override
    protected boolean makeUnavailable(EtcdAllocationRegistry store) throws Exception {
        cluster.cutLinks();
        TestCluster.awaitUnavailable(() -> store.status("any"));
        return true;
    }
}
