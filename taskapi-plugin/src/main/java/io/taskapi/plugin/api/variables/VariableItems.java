package io.taskapi.plugin.api.variables;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a variable's items from JSON: an object of strings, at most {@value #MAX_BYTES} bytes of keys and values
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
}
