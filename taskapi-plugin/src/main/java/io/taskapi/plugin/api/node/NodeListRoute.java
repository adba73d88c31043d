package io.taskapi.plugin.api.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.api.ListFilter;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.config.HttpConfig;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
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

/**
 * {@code GET /v1/nodes}: node stubs sorted by id, with Nomad's {@code prefix}, {@code filter} (go-bexpr, evaluated
 * against the full node record, so {@code Meta.example == "Hello World!"} works), {@code per_page} and
 * {@code next_token} ({@code X-Nomad-NextToken} names the first node of the next page).
 */
public final class NodeListRoute implements ApiRoute {
    private final NodeRegistry nodes;
    private final NodeRecords records;
    private final Duration filterTimeout;

    /**
     * @param nodes the known nodes
     * @param records their records
     * @param config how long a filter may take
     */
    @Inject
    public NodeListRoute(NodeRegistry nodes, NodeRecords records, HttpConfig config) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.records = requireNonNull(records, "records is null");
        this.filterTimeout = requireNonNull(config, "config is null").filterTimeout();
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/nodes";
    }

    @Override
    public Permission permission() {
        return Permission.NODE_READ;
    }

    @Override
    public String help() {
        return "Lists nodes. ?prefix= on the id, ?filter= a go-bexpr expression over the full node (for example"
                + " Meta.example == \"Hello World!\"), ?per_page= and ?next_token= to page (X-Nomad-NextToken).";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // a filter over every node is CPU work without a small bound
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String prefix = request.query("prefix").orElse("");
        ListFilter filter = ListFilter.compile(request.query("filter"), filterTimeout);
        int perPage = perPage(request.query("per_page"));
        String nextToken = request.query("next_token").orElse("");

        List<NodeInfo> candidates = new ArrayList<>(nodes.list());
        candidates.sort(Comparator.comparing(NodeInfo::id));
        List<ObjectNode> page = new ArrayList<>();
        String next = null;
        for (NodeInfo node : candidates) {
            if (!node.id().startsWith(prefix) || node.id().compareTo(nextToken) < 0) {
                continue;
            }
            if (!filter.matches(records.full(node))) {
                continue;
            }
            if (perPage > 0 && page.size() == perPage) {
                next = node.id();
                break;
            }
            page.add(records.stub(node));
        }
        return next == null ? page : ApiResponse.ok(page, Map.of("X-Nomad-NextToken", next));
    }

    private static int perPage(Optional<String> value) throws ApiException {
        if (value.isEmpty()) {
            return 0;
        }
        try {
            int perPage = Integer.parseInt(value.get());
            if (perPage < 0) {
                throw new NumberFormatException();
            }
            return perPage;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "Expect a non-negative number for `per_page` query string parameter");
        }
    }
}
