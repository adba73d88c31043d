package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

/**
 * {@code name = value} in a body, or one entry of an object value.
 *
 * @param name the name (the key, for an object entry)
 * @param value the value
 * @param position where the name is
 */
public record HclAttribute(String name, HclValue value, HclPosition position) {
    /** Checks for nulls. */
    public HclAttribute {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        requireNonNull(position, "position is null");
    }
}
