package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * A place in a filter expression, counted the way go-bexpr's generated (pigeon) parser counts it, so messages read
 * {@code 1:12 (11)} exactly as Nomad's do: the line from 1, the column in code points from 1, and the offset in UTF-8
 * bytes from 0. Like pigeon, a newline belongs to the line it ends the column of: it sits at column 0 of the next line.
 *
 * @param line the line, from 1
 * @param column the column in code points, from 1 (0 for a newline character itself)
 * @param offset the offset in UTF-8 bytes, from 0
 */
record SourcePosition(int line, int column, int offset) {

    /** The position of the character at {@code index} (a Java char index; {@code length()} means the end). */
    static SourcePosition of(String source, int index) {
        requireNonNull(source, "source");
        if (index < 0 || index > source.length()) {
            throw new IllegalArgumentException("index " + index + " outside 0.." + source.length());
        }
        int line = 1;
        int column = 0;
        for (int i = 0; i < index; ) {
            int cp = source.codePointAt(i);
            i += Character.charCount(cp);
            column++;
            if (cp == '\n') {
                line++;
                column = 0;
            }
        }
        // pigeon moves to the next line when it reads the newline itself, not the character after it
        if (index < source.length() && source.charAt(index) == '\n') {
            line++;
            column = 0;
        } else {
            column++;
        }
        int offset = source.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
        return new SourcePosition(line, column, offset);
    }

    /** {@code line:column (offset)}, pigeon's prefix for every parse error. */
    @Override
    public String toString() {
        return line + ":" + column + " (" + offset + ")";
    }
}
