package io.taskapi.plugin.hcl;

import static java.util.Objects.requireNonNull;

/**
 * A quoted string (escapes resolved) or a heredoc (verbatim). Template sequences ({@code ${…}}, {@code %{…}} and their
 * escaped forms <code>$${</code>, <code>%%{</code>) are kept as written: interpolation is the caller's business.
 *
 * @param value the text
 * @param position where the opening quote or {@code <<} is
 */
public record HclString(String value, HclPosition position) implements HclValue {
    /** Checks for nulls. */
    public HclString {
        requireNonNull(value, "value is null");
        requireNonNull(position, "position is null");
    }

    @Override
    public String typeName() {
        return "string";
    }
}
