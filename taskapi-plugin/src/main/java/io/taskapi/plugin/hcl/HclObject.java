package io.taskapi.plugin.hcl;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An object (map) value {@code { k = v, "k2" = v }}. Keys are unique.
 *
 * @param entries the entries in source order; each entry's position is where its key is
 * @param position where the <code>{</code> is
 */
public record HclObject(List<HclAttribute> entries, HclPosition position) implements HclValue {
    /** Copies the entries and checks that keys are unique. */
    public HclObject {
        entries = List.copyOf(requireNonNull(entries, "entries is null"));
        requireNonNull(position, "position is null");
        Set<String> keys = new HashSet<>();
        for (HclAttribute entry : entries) {
            if (!keys.add(entry.name())) {
                throw new IllegalArgumentException("duplicate key \"" + entry.name() + "\"");
            }
        }
    }

    /**
     * @param key a key
     * @return the entry with that key
     */
    public Optional<HclAttribute> entry(String key) {
        requireNonNull(key, "key is null");
        return entries.stream().filter(e -> e.name().equals(key)).findFirst();
    }

    @Override
    public String typeName() {
        return "object";
    }
}
