package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

/**
 * A filter expression that cannot be compiled: a syntax error, an invalid regular expression, or one over the length
 * or nesting limits. The message is go-bexpr's (what Nomad puts after {@code failed to read filter expression: }),
 * starting with the position, e.g. {@code 1:12 (11): rule "string": Unterminated string literal} or
 * {@code 1:4 (3): no match found, expected: "in", "not" or [ \t\r\n]}. When bexpr reports several errors, they are
 * all in the message, one a line, and the position is the first one's.
 */
public final class FilterException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final int offset;

    FilterException(String message, SourcePosition position) {
        super(requireNonNull(message, "message"));
        requireNonNull(position, "position");
        this.line = position.line();
        this.column = position.column();
        this.offset = position.offset();
    }

    /** The line of the (first) error, from 1. */
    public int line() {
        return line;
    }

    /** The column of the (first) error in code points, from 1; 0 when it is at a newline character. */
    public int column() {
        return column;
    }

    /** The offset of the (first) error in UTF-8 bytes, from 0, as bexpr counts it. */
    public int offset() {
        return offset;
    }
}
