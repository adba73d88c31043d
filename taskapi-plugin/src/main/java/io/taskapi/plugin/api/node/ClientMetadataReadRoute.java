package io.taskapi.plugin.api.node;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.node.NodeMetadataService;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Optional;

/** {@code GET /v1/client/metadata}: the node's static, dynamic and merged metadata. */
public final class ClientMetadataReadRoute implements ApiRoute {
    private final NodeResolver nodes;
    private final NodeMetadataService metadata;

    /**
     * @param nodes which node
     * @param metadata its metadata
     */
    @Inject
    public ClientMetadataReadRoute(NodeResolver nodes, NodeMetadataService metadata) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/client/metadata";
    }

    @Override
    public Permission permission() {
        return Permission.NODE_READ;
    }

    @Override
    public String help() {
        return "Returns this node's metadata as {\"Meta\":{merged},\"Dynamic\":{…},\"Static\":{…}}. ?node_id= picks"
                + " another known node.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        // This agent's own node, once read, is answered from memory; another node's metadata is in the store.
        String nodeId = request.query("node_id").filter(id -> !id.isEmpty()).orElse(metadata.localNodeId());
        return metadata.inMemory(nodeId) ? Execution.IN_MEMORY : Execution.BLOCKING;
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        return MetadataView.of(metadata.read(nodes.resolve(request, Optional.empty())));
    }
}
