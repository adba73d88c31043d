package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An HTTP response's header fields: names compare case-insensitively, a name may have several values (in the order
 * they came). Immutable. {@link #toString()} hides the values of {@code Set-Cookie} and {@code Authorization}.
 */
public final class ResponseHeaders {
    private static final Set<String> HIDDEN = Set.of("set-cookie", "authorization", "x-nomad-token");

    private final Map<String, List<String>> fields;

    /** @param fields names to values; names that differ only in case are merged */
    public ResponseHeaders(Map<String, List<String>> fields) {
        requireNonNull(fields, "fields is null");
        TreeMap<String, List<String>> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.forEach((name, values) -> merged.computeIfAbsent(requireNonNull(name, "name is null"),
                key -> new ArrayList<>()).addAll(requireNonNull(values, "values is null")));
        merged.replaceAll((name, values) -> List.copyOf(values));
        this.fields = Collections.unmodifiableMap(merged);
    }

    /**
     * @param name a field name, in any case
     * @return its first value
     */
    public Optional<String> first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * @param name a field name, in any case
     * @return every value it has, in order; empty when it is absent
     */
    public List<String> all(String name) {
        return fields.getOrDefault(requireNonNull(name, "name is null"), List.of());
    }

    /**
     * @param name a field name, in any case
     * @return whether the response has it
     */
    public boolean contains(String name) {
        return fields.containsKey(requireNonNull(name, "name is null"));
    }

    /** @return every field, with a case-insensitive key order and lookup */
    public Map<String, List<String>> asMap() {
        return fields;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResponseHeaders that && fields.equals(that.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        fields.forEach((name, values) -> {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(name).append('=');
            text.append(HIDDEN.contains(name.toLowerCase(Locale.ROOT)) ? "<redacted>" : values);
        });
        return text.append('}').toString();
    }
}
