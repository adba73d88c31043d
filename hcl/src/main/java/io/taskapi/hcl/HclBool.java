package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

/**
 * {@code true} or {@code false}.
 *
 * @param value the value
 * @param position where it starts
 */
public record HclBool(boolean value, HclPosition position) implements HclValue {
    /** Checks for nulls. */
    public HclBool {
        requireNonNull(position, "position is null");
    }

    @Override
    public String typeName() {
        return "bool";
    }
}
