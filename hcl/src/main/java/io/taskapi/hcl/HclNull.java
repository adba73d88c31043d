package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

/**
 * {@code null}.
 *
 * @param position where it starts
 */
public record HclNull(HclPosition position) implements HclValue {
    /** Checks for nulls. */
    public HclNull {
        requireNonNull(position, "position is null");
    }

    @Override
    public String typeName() {
        return "null";
    }
}
