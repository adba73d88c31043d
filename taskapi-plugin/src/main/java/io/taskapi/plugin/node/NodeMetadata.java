package io.taskapi.plugin.node;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A node's metadata the way Nomad reports it: static (from configuration), dynamic (written through the API; an
 * empty value deletes a static key), and the two merged.
 *
 * @param merged static with dynamic applied: what filters and the node's {@code Meta} see
 * @param dynamic the dynamic keys; an empty value is a tombstone for a static key
 * @param statics the static keys
 */
public record NodeMetadata(Map<String, String> merged, Map<String, Optional<String>> dynamic,
                           Map<String, String> statics) {
    /** Copies the maps. */
    public NodeMetadata {
        merged = Map.copyOf(requireNonNull(merged, "merged is null"));
        dynamic = Map.copyOf(requireNonNull(dynamic, "dynamic is null"));
        statics = Map.copyOf(requireNonNull(statics, "statics is null"));
    }

    /**
     * @param statics the static keys
     * @param dynamic the dynamic keys, with tombstones
     * @return both, merged as Nomad merges them
     */
    public static NodeMetadata of(Map<String, String> statics, Map<String, Optional<String>> dynamic) {
        Map<String, String> merged = new TreeMap<>(statics);
        dynamic.forEach((key, value) -> {
            if (value.isPresent()) {
                merged.put(key, value.get());
            } else {
                merged.remove(key);
            }
        });
        return new NodeMetadata(merged, dynamic, statics);
    }
}
