package io.taskapi.plugin.e2e;

import io.taskapi.plugin.TaskApiPlugin;
import io.taskapi.spi.AgentContext;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.testing.InMemoryAllocationRegistry;
import io.taskapi.testing.InMemoryIdentityKeyStore;
import io.taskapi.testing.InMemoryNodeRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * A minimal agent in its own JVM, for restart tests: the plugin with its embedded store in a given data directory,
 * one task socket, and nothing else. Prints {@code ready} once the socket serves, then runs until killed.
 *
 * <p>Arguments: data dir, link dir, secrets dir, node id, allocation id.
 */
public final class AgentProcess {
    private AgentProcess() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Path linkDir = Path.of(args[1]);
        Path secretsDir = Path.of(args[2]);
        String nodeId = args[3];
        String allocationId = args[4];

        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        TaskRef task = new TaskRef(allocationId, "default", "restart", "restart", "task");
        allocations.markLive(task);
        NodeInfo node = new NodeInfo(nodeId, "restart-node", "dc1", "default", "", "ready", Map.of(), Map.of());
        AgentState state = AgentState.builder().allocations(allocations).nodes(new InMemoryNodeRegistry(node))
                .identityKeys(new InMemoryIdentityKeyStore()).build();
        TaskApi api = new TaskApiPlugin().start(AgentContext.builder(state).config(Map.of(
                "state.data-dir", dataDir.toString(),
                "socket.link-dir", linkDir.toString())).build());
        api.openSocket(SocketRequest.of(task, secretsDir, SocketNeeds.of(FilesystemIsolation.NONE)));
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
