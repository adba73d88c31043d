package io.taskapi.plugin.api.node;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.node.NodeRecords;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;

/** {@code GET /v1/node/:id}: one node's full record, dynamic metadata merged into {@code Meta}. */
public final class NodeReadRoute implements ApiRoute {
    private final NodeRegistry nodes;
    private final NodeRecords records;

    /**
     * @param nodes the known nodes
     * @param records their records
     */
    @Inject
    public NodeReadRoute(NodeRegistry nodes, NodeRecords records) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.records = requireNonNull(records, "records is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/node/:id";
    }

    @Override
    public Permission permission() {
        return Permission.NODE_READ;
    }

    @Override
    public String help() {
        return "Returns the node with this id: ID, Name, Datacenter, NodeClass, NodePool, Status, Attributes, Meta.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the metadata store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String id = request.param("id");
        return records.full(nodes.find(id).orElseThrow(() -> new ApiException(404, "node not found")));
    }
}
