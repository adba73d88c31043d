package io.taskapi.plugin.api.node;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Optional;

/** Finds the node a client route is about: {@code ?node_id=} or the body's {@code NodeID}, else this agent's node. */
public final class NodeResolver {
    private final NodeRegistry nodes;

    /** @param nodes the known nodes */
    @Inject
    public NodeResolver(NodeRegistry nodes) {
        this.nodes = requireNonNull(nodes, "nodes is null");
    }

    NodeInfo resolve(ApiRequest request, Optional<String> bodyNodeId) throws ApiException, StateUnavailableException {
        String id = request.query("node_id").or(() -> bodyNodeId).filter(value -> !value.isEmpty())
                .orElse(nodes.localNodeId());
        return nodes.find(id).orElseThrow(() -> new ApiException(404, "Unknown node " + id));
    }
}
