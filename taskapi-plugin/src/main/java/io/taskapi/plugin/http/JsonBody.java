package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a JSON object body field by field, collecting every problem so that one 400 lists them all
 * ({@code {"errors":["Name must be a string", "unknown field \"Polices\""]}}). Unknown fields are errors: a typo must
 * not silently drop a setting.
 */
public final class JsonBody {
    private final JsonNode node;
    private final Set<String> known = new TreeSet<>();
    private final List<String> errors;
    private final String prefix;

    private JsonBody(JsonNode node, List<String> errors, String prefix) {
        this.node = node;
        this.errors = errors;
        this.prefix = prefix;
    }

    /**
     * @param node a parsed body
     * @return a reader over it
     * @throws ApiException 400 when it is not a JSON object
     */
    public static JsonBody of(JsonNode node) throws ApiException {
        requireNonNull(node, "node is null");
        if (!node.isObject()) {
            throw new ApiException(400, "Request body must be a JSON object");
        }
        return new JsonBody(node, new ArrayList<>(), "");
    }

    /**
     * @param name a field
     * @return its string value; absent when missing or null; an error is recorded when it is not a string
     */
    public Optional<String> string(String name) {
        JsonNode value = field(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            errors.add(prefix + name + " must be a string");
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    /**
     * @param name a field
     * @return its strings; empty when missing or null; an error is recorded when it is not a list of strings
     */
    public List<String> strings(String name) {
        JsonNode value = field(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            errors.add(prefix + name + " must be a list of strings");
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                errors.add(prefix + name + " must be a list of strings");
                return List.of();
            }
            strings.add(element.asText());
        }
        return List.copyOf(strings);
    }

    /**
     * @param name a field
     * @return its boolean value; absent when missing or null; an error is recorded when it is not a boolean
     */
    public Optional<Boolean> bool(String name) {
        JsonNode value = field(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            errors.add(prefix + name + " must be true or false");
            return Optional.empty();
        }
        return Optional.of(value.asBoolean());
    }

    /**
     * @param name a field holding an object
     * @return a reader over it; absent when missing or null; an error is recorded when it is not an object
     */
    public Optional<JsonBody> object(String name) {
        JsonNode value = field(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            errors.add(prefix + name + " must be an object");
            return Optional.empty();
        }
        // A nested object's problems go into this body's list, prefixed with its field name.
        return Optional.of(new JsonBody(value, errors, prefix + name + "."));
    }

    /**
     * @param name a field of a shape the caller checks itself
     * @return its value; absent when missing or null
     */
    public Optional<JsonNode> raw(String name) {
        return Optional.ofNullable(field(name));
    }

    /**
     * Declares fields that are allowed but not read (Nomad sends them; they mean nothing here).
     *
     * @param names the fields
     */
    public void ignore(String... names) {
        known.addAll(List.of(names));
    }

    /**
     * @param message a problem found by the caller
     */
    public void error(String message) {
        errors.add(prefix + message);
    }

    /**
     * Ends reading: unknown fields and every recorded problem (of this body and the nested ones already finished)
     * become one 400. Finish nested bodies before their parent.
     *
     * @throws ApiException 400 listing every problem
     */
    public void finish() throws ApiException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add("unknown field \"" + prefix + name + "\"");
            }
        }
        if (prefix.isEmpty() && !errors.isEmpty()) {
            throw new ApiException(400, errors);
        }
    }

    private JsonNode field(String name) {
        known.add(name);
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }
}
