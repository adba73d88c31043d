package io.taskapi.plugin.api.node;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.http.JsonResponses;
import io.taskapi.plugin.node.NodeMetadata;
import io.taskapi.plugin.node.NodeMetadataService;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Optional;

/** {@code GET /v1/client/metadata}: the node's static, dynamic and merged metadata. */
public final class ClientMetadataReadRoute implements ApiRoute {
    private final NodeResolver nodes;
    private final NodeMetadataService metadata;
    private final JsonResponses json;
    private volatile Rendered rendered;

    /**
     * @param nodes which node
     * @param metadata its metadata
     * @param json serializes the answer
     */
    @Inject
    public ClientMetadataReadRoute(NodeResolver nodes, NodeMetadataService metadata, JsonResponses json) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.json = requireNonNull(json, "json is null");
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
        NodeMetadata read = metadata.read(nodes.resolve(request, Optional.empty()));
        Rendered last = rendered;
        // The same instance comes back while this node's metadata is unchanged: serialize it once, not per request.
        if (last != null && last.source() == read) {
            return last.response();
        }
        Rendered now = new Rendered(read, ApiResponse.json(json.toBytes(MetadataView.of(read))));
        rendered = now;
        return now.response();
    }

    private record Rendered(NodeMetadata source, ApiResponse response) {}
}
