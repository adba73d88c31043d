package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A list {@code [a, b]}.
 *
 * @param elements the elements in source order
 * @param position where the {@code [} is
 */
public record HclList(List<HclValue> elements, HclPosition position) implements HclValue {
    /** Copies the elements. */
    public HclList {
        elements = List.copyOf(requireNonNull(elements, "elements is null"));
        requireNonNull(position, "position is null");
    }

    @Override
    public String typeName() {
        return "list";
    }
}
