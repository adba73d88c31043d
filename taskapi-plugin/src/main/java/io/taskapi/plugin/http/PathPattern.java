package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route path: literal segments, {@code :name} for one segment, and a last {@code *name} for the rest of the path
 * (one or more segments, slashes included), e.g. {@code /v1/acl/token/:accessor} or {@code /v1/var/*path}.
 */
final class PathPattern {
    private final String text;
    private final List<String> segments;
    private final boolean literal;

    PathPattern(String text) {
        this.text = requireNonNull(text, "text is null");
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with /: " + text);
        }
        this.segments = List.of(text.substring(1).split("/", -1));
        for (int i = 0; i < segments.size() - 1; i++) {
            if (segments.get(i).startsWith("*")) {
                throw new IllegalArgumentException("*rest must be the last segment: " + text);
            }
        }
        this.literal = segments.stream().noneMatch(s -> s.startsWith(":") || s.startsWith("*"));
    }

    String text() {
        return text;
    }

    /** Literal paths win over patterns, so {@code /v1/acl/token/self} is not an accessor id. */
    boolean isLiteral() {
        return literal;
    }

    /** @return the parameters when the path matches, decoded segment by segment by the caller */
    Optional<Map<String, String>> match(String path) {
        if (literal) {
            return path.equals(text) ? Optional.of(Map.of()) : Optional.empty();
        }
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = path.substring(1).split("/", -1);
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("*")) {
                if (i >= parts.length) {
                    return Optional.empty();
                }
                String rest = String.join("/", java.util.Arrays.asList(parts).subList(i, parts.length));
                if (rest.isEmpty()) {
                    return Optional.empty();
                }
                params.put(segment.substring(1), rest);
                return Optional.of(Map.copyOf(params));
            }
            if (i >= parts.length) {
                return Optional.empty();
            }
            if (segment.startsWith(":")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(segment.substring(1), parts[i]);
            } else if (!segment.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return parts.length == segments.size() ? Optional.of(Map.copyOf(params)) : Optional.empty();
    }
}
