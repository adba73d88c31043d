package io.taskapi.hcl;

/**
 * Where a node starts in its source: 1-based line and 1-based column (columns count Unicode code points; a tab is one
 * column). For JSON sources, the location Jackson reports.
 *
 * @param line the line, from 1
 * @param column the column, from 1
 */
public record HclPosition(int line, int column) {
    /** The first character of a source. */
    public static final HclPosition START = new HclPosition(1, 1);

    /** Checks that both coordinates are at least 1. */
    public HclPosition {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column start at 1, got " + line + ":" + column);
        }
    }

    /** {@return {@code line:column}, the prefix of every parse error message} */
    @Override
    public String toString() {
        return line + ":" + column;
    }
}
