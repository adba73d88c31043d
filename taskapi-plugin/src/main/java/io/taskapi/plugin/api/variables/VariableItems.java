package io.taskapi.plugin.api.variables;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.JsonBody;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a variable's items from a request body, the variables API's ({@code {"Items":{…}}}) or the secrets API's (the
 * items themselves): an object of strings, at most {@value #MAX_BYTES} bytes of keys and values
 * together (Nomad's fixed limit, counted as Nomad does: the UTF-8 length of every key and value).
 */
final class VariableItems {
    /** Nomad's {@code maxVariableSize}: not configurable there either, so that no variable can swamp the store. */
    static final int MAX_BYTES = 65536;
    /** Nomad's message for items over {@link #MAX_BYTES}. */
    static final String TOO_LARGE = "variables are limited to 64KiB in total size";

    private VariableItems() {}

    /**
     * @param object a JSON object whose values should all be strings
     * @param label how a message names a value, e.g. {@code Items: value of} (a key is quoted after it)
     * @param errors where problems are added: one per value that is not a string, then the size
     * @return the items, sorted by key; meaningful only when no error was added
     */
    static Map<String, String> read(JsonNode object, String label, List<String> errors) {
        Map<String, String> items = new TreeMap<>();
        long bytes = 0;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!field.getValue().isTextual()) {
                // The key is the caller's own name for the item; the value is never repeated.
                errors.add(label + " \"" + field.getKey() + "\" must be a string");
                continue;
            }
            String value = field.getValue().asText();
            bytes += field.getKey().getBytes(UTF_8).length + (long) value.getBytes(UTF_8).length;
            items.put(field.getKey(), value);
        }
        if (bytes > MAX_BYTES) {
            errors.add(TOO_LARGE);
        }
        return items;
    }

    /**
     * The body of a variable write, as Nomad's Go client sends it ({@code api.Variable}): {@code Namespace} and
     * {@code Path} may repeat the request's (a different value is refused rather than silently ignored or
     * re-authorized); the indexes and times are the store's and ignored; {@code Lock} must be absent or null.
     *
     * @param root the request body
     * @param namespace the request's namespace
     * @param path the variable path in the URL
     * @return the items to write
     * @throws ApiException 400 listing every problem
     */
    static Map<String, String> ofVariableBody(JsonNode root, String namespace, String path) throws ApiException {
        JsonBody body = JsonBody.of(root);
        body.string("Namespace").filter(value -> !value.isEmpty() && !value.equals(namespace)).ifPresent(value ->
                body.error("Namespace \"" + value + "\" differs from the request's namespace \"" + namespace
                        + "\" (set it with ?namespace=)"));
        body.string("Path").filter(value -> !value.isEmpty() && !value.equals(path)).ifPresent(value ->
                body.error("Path \"" + value + "\" differs from the path in the URL \"" + path + "\""));
        body.ignore("CreateIndex", "CreateTime", "ModifyIndex", "ModifyTime");
        boolean lock = root.hasNonNull("Lock");
        body.ignore("Lock");
        Optional<JsonBody> itemsObject = body.object("Items");
        body.finish();
        if (lock) {
            throw VariableRequests.locksNotSupported();
        }
        JsonNode items = root.get("Items");
        if (itemsObject.isEmpty() || items.isEmpty()) {
            throw new ApiException(400, "variable missing required Items object");
        }
        return readAll(items, "Items: value of");
    }

    /**
     * The body of a secret write, {@code {"value":"bar"}}: the items themselves. Values must be strings (one 400 names
     * every key that is not): keeping a secret a plain variable is what lets the variables API, the variable policies
     * and job templates see it.
     *
     * @param body the request body
     * @return the items to write
     * @throws ApiException 400 listing every problem
     */
    static Map<String, String> ofSecretBody(JsonNode body) throws ApiException {
        if (!body.isObject()) {
            throw new ApiException(400, "Request body must be a JSON object");
        }
        if (body.isEmpty()) {
            throw new ApiException(400, "a secret needs at least one key");
        }
        return readAll(body, "value of");
    }

    private static Map<String, String> readAll(JsonNode object, String label) throws ApiException {
        List<String> errors = new ArrayList<>();
        Map<String, String> items = read(object, label, errors);
        if (!errors.isEmpty()) {
            throw new ApiException(400, errors);
        }
        return items;
    }
}
