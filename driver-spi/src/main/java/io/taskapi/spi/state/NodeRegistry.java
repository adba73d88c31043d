package io.taskapi.spi.state;

import java.util.List;
import java.util.Optional;

/**
 * The client nodes an agent knows: at least its own.
 *
 * <p>{@link #localNodeId} and {@link #find} are asked on the request path, possibly on the server's I/O thread: they
 * must answer from memory and never block (a replicated registry keeps a local copy fed by change notifications).
 */
public interface NodeRegistry {
    /** @return the id of the node this agent runs */
    String localNodeId();

    /**
     * @return every known node
     * @throws StateUnavailableException when the registry cannot answer
     */
    List<NodeInfo> list() throws StateUnavailableException;

    /**
     * @param nodeId a node id
     * @return the node
     * @throws StateUnavailableException when the registry cannot answer
     */
    Optional<NodeInfo> find(String nodeId) throws StateUnavailableException;
}
