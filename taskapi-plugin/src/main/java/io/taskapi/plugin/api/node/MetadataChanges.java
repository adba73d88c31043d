package io.taskapi.plugin.api.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.JsonBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a {@code POST /v1/client/metadata} body asks for: {@code {"NodeID":…,"Meta":{"k":"v","gone":null}}}. All or
 * nothing: one invalid key refuses the whole request.
 *
 * @param nodeId the node named by {@code NodeID}, if any
 * @param changes each key to its new value, or to empty for a delete, in the body's order
 */
record MetadataChanges(Optional<String> nodeId, Map<String, Optional<String>> changes) {
    // hclsyntax.ValidIdentifier, per dot-separated part: a letter or underscore, then letters, digits, _ and -.
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    /**
     * @param root the request body
     * @return what it asks for
     * @throws ApiException 400 listing every problem
     */
    static MetadataChanges read(JsonNode root) throws ApiException {
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
        return new MetadataChanges(nodeId, changes);
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
