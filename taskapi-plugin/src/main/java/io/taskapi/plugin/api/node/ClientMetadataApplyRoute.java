package io.taskapi.plugin.api.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.http.JsonBody;
import io.taskapi.plugin.node.NodeMetadataService;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/client/metadata}: sets and deletes dynamic metadata ({@code {"Meta":{"k":"v","gone":null}}}). The
 * change is durable before the answer, and is all-or-nothing: one invalid key refuses the whole request.
 */
public final class ClientMetadataApplyRoute implements ApiRoute {
    // hclsyntax.ValidIdentifier, per dot-separated part: a letter or underscore, then letters, digits, _ and -.
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private final NodeResolver nodes;
    private final NodeMetadataService metadata;

    /**
     * @param nodes which node
     * @param metadata its metadata
     */
    @Inject
    public ClientMetadataApplyRoute(NodeResolver nodes, NodeMetadataService metadata) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return "/v1/client/metadata";
    }

    @Override
    public Permission permission() {
        return Permission.NODE_WRITE;
    }

    @Override
    public String help() {
        return "Sets dynamic node metadata from {\"Meta\":{\"key\":\"value\",\"gone\":null}}: a string sets a key, null"
                + " deletes it. Keys are dotted identifiers. Returns the metadata after the change.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING_WITH_BODY; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        Body body = readBody(request.bodyJson());
        return MetadataView.of(metadata.apply(nodes.resolve(request, body.nodeId()), body.changes()));
    }

    /**
     * What a request body asks for.
     *
     * @param nodeId the node named by {@code NodeID}, if any
     * @param changes each key to its new value, or to empty for a delete, in the body's order
     */
    record Body(Optional<String> nodeId, Map<String, Optional<String>> changes) {}

    /**
     * @param root the request body
     * @return what it asks for
     * @throws ApiException 400 listing every problem
     */
    static Body readBody(JsonNode root) throws ApiException {
        JsonBody body = JsonBody.of(root);
        Optional<String> nodeId = body.string("NodeID");
        JsonNode meta = root.get("Meta");
        body.object("Meta");
        body.finish();
        if (meta == null || meta.isNull()) {
            throw new ApiException(400, "missing required Meta object");
        }
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : meta.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.isEmpty()) {
                errors.add("metadata keys must not be empty");
            } else if (!isDottedIdentifier(key)) {
                errors.add("\"" + key + "\" is invalid; metadata keys must be valid dotted hcl identifiers");
            } else if (value.isNull()) {
                changes.put(key, Optional.empty());
            } else if (value.isTextual()) {
                changes.put(key, Optional.of(value.asText()));
            } else {
                errors.add("value of \"" + key + "\" must be a string or null");
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(400, errors);
        }
        return new Body(nodeId, changes);
    }

    private static boolean isDottedIdentifier(String key) {
        for (String part : key.split("\\.", -1)) {
            if (!IDENTIFIER.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }
}
