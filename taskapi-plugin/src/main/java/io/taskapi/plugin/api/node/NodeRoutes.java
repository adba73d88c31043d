package io.taskapi.plugin.api.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.api.ListQuery;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.config.HttpConfig;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.JsonResponses;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.plugin.http.Watch;
import io.taskapi.plugin.node.NodeMetadata;
import io.taskapi.plugin.node.NodeMetadataService;
import io.taskapi.plugin.node.NodeRecords;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Nomad's node routes: the node list and one node's record, and this client's metadata (read and apply). */
public final class NodeRoutes implements RouteGroup {
    private final NodeRegistry nodes;
    private final NodeRecords records;
    private final NodeResolver resolver;
    private final NodeMetadataService metadata;
    private final JsonResponses json;
    private final Duration filterTimeout;
    private volatile Rendered rendered;

    /**
     * @param nodes the known nodes
     * @param records their records
     * @param resolver which node a client route is about
     * @param metadata node metadata
     * @param json serializes metadata answers once per change
     * @param config how long a filter may take
     */
    @Inject
    public NodeRoutes(NodeRegistry nodes, NodeRecords records, NodeResolver resolver, NodeMetadataService metadata,
                      JsonResponses json, HttpConfig config) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.records = requireNonNull(records, "records is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.json = requireNonNull(json, "json is null");
        this.filterTimeout = requireNonNull(config, "config is null").filterTimeout();
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.on("GET", "/v1/nodes").permission(Permission.NODE_READ)
                        .help("Lists nodes. ?prefix= on the id, ?filter= a go-bexpr expression over the full node"
                                + " (for example Meta.example == \"Hello World!\"), ?per_page= and ?next_token= to"
                                + " page (X-Nomad-NextToken).")
                        // A filter over every node is CPU work without a small bound.
                        .watches(Watch.NODES, Watch.NODE_METADATA)
                        .runs(Execution.BLOCKING, this::list),
                Route.on("GET", "/v1/node/:id").permission(Permission.NODE_READ)
                        .help("Returns the node with this id: ID, Name, Datacenter, NodeClass, NodePool, Status,"
                                + " Attributes, Meta.")
                        // Dynamic metadata merged into Meta: the metadata store may do I/O.
                        .watches(Watch.NODES, Watch.NODE_METADATA)
                        .runs(Execution.BLOCKING, request -> records.full(nodes.find(request.param("id"))
                                .orElseThrow(() -> new ApiException(404, "node not found")))),
                Route.on("GET", "/v1/client/metadata").permission(Permission.NODE_READ)
                        .help("Returns this node's metadata as {\"Meta\":{merged},\"Dynamic\":{…},\"Static\":{…}}."
                                + " ?node_id= picks another known node.")
                        .watches(Watch.NODE_METADATA)
                        .runs(this::metadataExecution, this::readMetadata),
                // The change is durable before the answer.
                Route.on("POST", "/v1/client/metadata").permission(Permission.NODE_WRITE)
                        .help("Sets dynamic node metadata from {\"Meta\":{\"key\":\"value\",\"gone\":null}}: a string"
                                + " sets a key, null deletes it. Keys are dotted identifiers. Returns the metadata"
                                + " after the change.")
                        .watches(Watch.NODE_METADATA)
                        .runs(Execution.BLOCKING_WITH_BODY, this::applyMetadata));
    }

    /**
     * Node stubs sorted by id; the filter sees the full node record, so {@code Meta.example == "Hello World!"} works,
     * and {@code X-Nomad-NextToken} names the first node of the next page.
     */
    private Object list(ApiRequest request) throws ApiException, StateUnavailableException {
        ListQuery query = ListQuery.of(request, filterTimeout);
        List<NodeInfo> candidates = new ArrayList<>(nodes.list());
        candidates.sort(Comparator.comparing(NodeInfo::id));
        List<ObjectNode> page = new ArrayList<>();
        String next = null;
        for (NodeInfo node : candidates) {
            if (!node.id().startsWith(query.prefix()) || node.id().compareTo(query.nextToken()) < 0) {
                continue;
            }
            if (!query.filter().matches(records.full(node))) {
                continue;
            }
            if (query.isFull(page.size())) {
                next = node.id();
                break;
            }
            page.add(records.stub(node));
        }
        return next == null ? page : ApiResponse.ok(page, Map.of(ListQuery.NEXT_TOKEN_HEADER, next));
    }

    /** This agent's own node, once read, is answered from memory; another node's metadata is in the store. */
    private Execution metadataExecution(ApiRequest request) {
        String nodeId = request.query("node_id").filter(id -> !id.isEmpty()).orElse(metadata.localNodeId());
        return metadata.inMemory(nodeId) ? Execution.IN_MEMORY : Execution.BLOCKING;
    }

    private Object readMetadata(ApiRequest request) throws ApiException, StateUnavailableException {
        NodeMetadata read = metadata.read(resolver.resolve(request, Optional.empty()));
        Rendered last = rendered;
        // The same instance comes back while this node's metadata is unchanged: serialize it once, not per request.
        if (last != null && last.source() == read) {
            return last.response();
        }
        Rendered now = new Rendered(read, ApiResponse.json(json.toBytes(MetadataView.of(read))));
        rendered = now;
        return now.response();
    }

    private Object applyMetadata(ApiRequest request) throws ApiException, StateUnavailableException {
        MetadataChanges changes = MetadataChanges.read(request.bodyJson());
        return MetadataView.of(metadata.apply(resolver.resolve(request, changes.nodeId()), changes.changes()));
    }

    private record Rendered(NodeMetadata source, ApiResponse response) {}
}
