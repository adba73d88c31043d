package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code type "label" … { body }}.
 *
 * @param type the block type, e.g. {@code namespace}
 * @param labels the labels, each a quoted string with its own position
 * @param body the contents
 * @param position where the type name is
 */
public record HclBlock(String type, List<HclString> labels, HclBody body, HclPosition position) {
    /** Copies the labels. */
    public HclBlock {
        requireNonNull(type, "type is null");
        labels = List.copyOf(requireNonNull(labels, "labels is null"));
        requireNonNull(body, "body is null");
        requireNonNull(position, "position is null");
    }

    /**
     * @param index which label, from 0
     * @return that label's text
     */
    public String label(int index) {
        return labels.get(index).value();
    }
}
