package io.taskapi.examples.agent;

import io.taskapi.spi.state.NodeInfo;
import io.taskapi.testing.contract.NodeRegistryContract;
import java.util.Map;
import java.util.UUID;

class LocalNodeRegistryContractTest extends NodeRegistryContract<LocalNodeRegistry> {
    @Override
    protected LocalNodeRegistry createStore() {
        return new LocalNodeRegistry(new NodeInfo(UUID.randomUUID().toString(), "node-1", "dc1", "default", "",
                "ready", Map.of("kernel.name", "linux"), Map.of("rack", "r1")));
    }
}
