package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A compiled label pattern where {@code *} matches any run of characters, {@code /} and the empty run included, and
 * nothing else is special (the semantics of {@code github.com/ryanuber/go-glob}, which Nomad uses).
 *
 * <p>Closeness follows Nomad's {@code findAllMatchingWildcards}: the difference is
 * {@code len(name) - len(pattern) + count("*")} in UTF-8 bytes, i.e. the name's length minus the pattern's literal
 * bytes; the smallest difference wins.
 */
final class Glob {
    /** Orders patterns as Nomad's radix tree walks them: by their UTF-8 bytes, unsigned. */
    static final Comparator<Glob> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(a.utf8, b.utf8);

    private final String pattern;
    private final byte[] utf8;
    private final String[] parts;
    private final int literalBytes;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.utf8 = pattern.getBytes(StandardCharsets.UTF_8);
        this.parts = pattern.split("\\*", -1);
        this.literalBytes = utf8.length - (int) pattern.chars().filter(c -> c == '*').count();
    }

    static Glob compile(String pattern) {
        requireNonNull(pattern, "pattern is null");
        if (pattern.indexOf('*') < 0) {
            throw new IllegalArgumentException("not a glob: " + pattern);
        }
        return new Glob(pattern);
    }

    String pattern() {
        return pattern;
    }

    /** {@return how many UTF-8 bytes of the pattern are not {@code *}: more means closer} */
    int literalBytes() {
        return literalBytes;
    }

    /** {@return Nomad's difference for {@code name}, which this pattern must match} */
    int difference(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length - literalBytes;
    }

    /**
     * The first part anchors at the start, the last at the end, the middle ones are found leftmost in order: for
     * patterns whose only wildcard is {@code *}, leftmost matching of the middle parts never misses a match.
     */
    boolean matches(String name) {
        String first = parts[0];
        if (!name.startsWith(first)) {
            return false;
        }
        int from = first.length();
        int last = parts.length - 1;
        for (int i = 1; i < last; i++) {
            int at = name.indexOf(parts[i], from);
            if (at < 0) {
                return false;
            }
            from = at + parts[i].length();
        }
        String tail = parts[last];
        return name.length() - from >= tail.length() && name.endsWith(tail);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
