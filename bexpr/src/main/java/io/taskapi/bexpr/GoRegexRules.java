package io.taskapi.bexpr;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * What RE2/J's parser does not check and Go's does, decided by a lexical scan of the expression before RE2/J sees it
 * (the scan reads escapes, {@code \Q...\E}, classes, groups and repetitions, nothing more):
 *
 * <ul>
 *   <li>Go rejects counted repetitions nested so that their counts multiply past 1000 ({@code (x{100}){11}}, its
 *       {@code repeatIsValid}); RE2/J only checks each count on its own, and then expands them all, so
 *       {@code ((a{1000}){1000}){1000}} would compile for minutes. So this is checked first.
 *   <li>An estimate of the compiled program's size, which is what compiling costs (RE2/J expands {@code x{1000}}
 *       into a thousand copies of x).
 *   <li>Go lets two groups share a name ({@code (?P<a>x)|(?P<a>y)}); RE2/J rejects it.
 *   <li>Go knows the scripts of Unicode 15 ({@code \p{Adlam}}) and not {@code Unknown}; RE2/J knows those of Unicode
 *       6.0 and {@code Unknown} (see {@link UnicodeScripts}).
 * </ul>
 */
final class GoRegexRules {

    private static final int MAX_REPEAT = 1000;
    private static final long SIZE_CAP = 1L << 40;

    private GoRegexRules() {
    }

    /**
     * What the scan found.
     *
     * @param repeatOverLimit the first counted repetition, in Go's parse order, whose count times the counts of the
     *     repetitions nested in it exceeds 1000 (its text, {@code {11}}); Go's {@code invalid repeat count}
     * @param size about how many instructions the program will have, until a repetition over the limit
     */
    record Shape(Optional<String> repeatOverLimit, long size) {
    }

    /** Scans an expression; never fails, whatever the text (RE2/J reports what is not valid). */
    static Shape shape(String re) {
        Deque<Group> groups = new ArrayDeque<>();
        Group current = new Group();
        int i = 0;
        int n = re.length();
        while (i < n) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> {
                    i = skipEscape(re, i);
                    current.item(1, 1);
                }
                case '[' -> {
                    i = skipClass(re, i);
                    current.item(1, 1);
                }
                case '(' -> {
                    int open = groupOpening(re, i);
                    if (open < 0) { // flags only, (?i): no group, no item
                        int close = re.indexOf(')', i);
                        i = close < 0 ? n : close + 1;
                    } else {
                        groups.push(current);
                        current = new Group();
                        i = open;
                    }
                }
                case ')' -> {
                    if (!groups.isEmpty()) { // else not valid Go: RE2/J will say so
                        Group inner = current;
                        current = groups.pop();
                        current.item(inner.product(), inner.size());
                    }
                    i++;
                }
                case '|' -> {
                    current.alternative();
                    i++;
                }
                case '*', '+', '?' -> { // not counted: Go does not check these
                    current.lastSize = Math.min(current.lastSize + 1, SIZE_CAP);
                    i = skipNonGreedy(re, i + 1);
                }
                case '{' -> {
                    int[] counts = repeatCounts(re, i);
                    if (counts == null) {
                        current.item(1, 1); // a literal brace
                        i++;
                        break;
                    }
                    int end = skipNonGreedy(re, counts[2]);
                    int min = counts[0];
                    int max = counts[1];
                    long m = max < 0 ? min : max;
                    if ((min >= 2 || max >= 2) && m * current.last > MAX_REPEAT) {
                        return new Shape(Optional.of(re.substring(i, end)), current.size());
                    }
                    // a repetition of at most zero copies constrains nothing inside it (Go stops checking there)
                    current.last = m == 0 ? 1 : Math.min(m * current.last, MAX_REPEAT + 1);
                    long copies = Math.max(1, max < 0 ? min + 1 : max);
                    current.lastSize = Math.min(current.lastSize * copies + 1, SIZE_CAP);
                    i = end;
                }
                default -> {
                    current.item(1, 1);
                    i += Character.charCount(re.codePointAt(i));
                }
            }
        }
        while (!groups.isEmpty()) { // unclosed: not valid, but count what is there
            Group inner = current;
            current = groups.pop();
            current.item(inner.product(), inner.size());
        }
        return new Shape(Optional.empty(), current.size());
    }

    /**
     * The expression with each {@code (?P<name>} and {@code (?<name>} written as a plain {@code (}; an invalid name is
     * left for RE2/J to report.
     */
    static String withoutGroupNames(String re) {
        StringBuilder out = new StringBuilder(re.length());
        int i = 0;
        int n = re.length();
        while (i < n) {
            char c = re.charAt(i);
            int next = switch (c) {
                case '\\' -> skipEscape(re, i);
                case '[' -> skipClass(re, i);
                default -> i + 1;
            };
            int nameEnd = c == '(' && (re.startsWith("(?P<", i) || re.startsWith("(?<", i)) ? re.indexOf('>', i) : -1;
            if (nameEnd >= 0 && isValidName(re.substring(re.indexOf('<', i) + 1, nameEnd))) {
                out.append('(');
                next = nameEnd + 1;
            } else {
                out.append(re, i, Math.min(next, n));
            }
            i = next;
        }
        return out.toString();
    }

    /** Go's {@code isValidCaptureName}: one or more ASCII letters, digits and underscores. */
    private static boolean isValidName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'
                || c >= 'a' && c <= 'z');
    }

    /**
     * The expression with each {@code \p{Script}} RE2/J lacks written out as the script's ranges; RE2/J is given this
     * text. {@code \p{Unknown}} is rejected as Go rejects it.
     */
    static String withScriptsSpelledOut(String re) throws Re2Regex.SyntaxException {
        if (!re.contains("\\p{") && !re.contains("\\P{")) {
            return re;
        }
        StringBuilder out = new StringBuilder(re.length());
        boolean inClass = false;
        boolean classStart = false; // a ] right after [ or [^ is a literal
        int i = 0;
        int n = re.length();
        while (i < n) {
            char c = re.charAt(i);
            if (c == '\\') {
                int end = skipEscape(re, i);
                out.append(script(re.substring(i, end), inClass));
                i = end;
            } else if (inClass && re.startsWith("[:", i) && re.indexOf(":]", i + 2) >= 0) {
                int end = re.indexOf(":]", i + 2) + 2;
                out.append(re, i, end);
                i = end;
            } else if (!inClass && c == '[') {
                inClass = true;
                int end = i + 1 < n && re.charAt(i + 1) == '^' ? i + 2 : i + 1;
                out.append(re, i, end);
                i = end;
                classStart = true;
                continue;
            } else {
                if (inClass && c == ']' && !classStart) {
                    inClass = false;
                }
                out.append(c);
                i++;
            }
            classStart = false;
        }
        return out.toString();
    }

    /** An escape as RE2/J should read it: a script it lacks as ranges, anything else as it is. */
    private static String script(String escape, boolean inClass) throws Re2Regex.SyntaxException {
        if (!(escape.startsWith("\\p{") || escape.startsWith("\\P{")) || !escape.endsWith("}")) {
            return escape;
        }
        boolean negated = escape.charAt(1) == 'P';
        String name = escape.substring(3, escape.length() - 1);
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        if (UnicodeScripts.unknownToGo(name)) {
            throw new Re2Regex.SyntaxException("invalid character class range", escape);
        }
        if (inClass) { // a negated set cannot nest in a class: its complement can
            return UnicodeScripts.ranges(name, negated).orElse(escape);
        }
        String prefix = negated ? "[^" : "[";
        return UnicodeScripts.ranges(name, false).map(ranges -> prefix + ranges + "]").orElse(escape);
    }

    /** Where a group's body starts, for {@code (} at {@code at}; -1 for a flags-only {@code (?i)}. */
    private static int groupOpening(String re, int at) {
        if (!re.startsWith("(?", at)) {
            return at + 1;
        }
        if (re.startsWith("(?P<", at) || re.startsWith("(?<", at)) {
            int end = re.indexOf('>', at);
            return end < 0 ? re.length() : end + 1;
        }
        for (int j = at + 2; j < re.length(); j++) {
            if (re.charAt(j) == ':') {
                return j + 1;
            }
            if (re.charAt(j) == ')') {
                return -1;
            }
        }
        return re.length();
    }

    /** After an escape at {@code at}: {@code \Q...\E}, {@code \p{Greek}}, {@code \x{41}}, or one character. */
    private static int skipEscape(String re, int at) {
        int n = re.length();
        if (at + 1 >= n) {
            return n;
        }
        char c = re.charAt(at + 1);
        if (c == 'Q') {
            int end = re.indexOf("\\E", at + 2);
            return end < 0 ? n : end + 2;
        }
        if ((c == 'p' || c == 'P' || c == 'x') && at + 2 < n && re.charAt(at + 2) == '{') {
            int end = re.indexOf('}', at + 2);
            return end < 0 ? n : end + 1;
        }
        if (c == 'x') {
            return Math.min(at + 4, n);
        }
        return at + 1 + Character.charCount(re.codePointAt(at + 1));
    }

    /** After a class at {@code at}, as Go's {@code parseClass} reads it: {@code []a]}, {@code [[:alpha:]]}. */
    private static int skipClass(String re, int at) {
        int n = re.length();
        int j = at + 1;
        if (j < n && re.charAt(j) == '^') {
            j++;
        }
        boolean first = true;
        while (j < n && (re.charAt(j) != ']' || first)) {
            first = false;
            if (re.startsWith("[:", j) && re.indexOf(":]", j + 2) >= 0) {
                j = re.indexOf(":]", j + 2) + 2;
            } else if (re.charAt(j) == '\\') {
                j = skipEscape(re, j);
            } else {
                j += Character.charCount(re.codePointAt(j));
            }
        }
        return Math.min(j + 1, n);
    }

    private static int skipNonGreedy(String re, int at) {
        return at < re.length() && re.charAt(at) == '?' ? at + 1 : at;
    }

    /** Go's {@code parseRepeat}: {@code {min}}, {@code {min,}} or {@code {min,max}} as {min, max or -1, end}. */
    private static int[] repeatCounts(String re, int at) {
        int[] min = decimal(re, at + 1);
        if (min == null || min[1] >= re.length()) {
            return null;
        }
        int t = min[1];
        int max = min[0];
        if (re.charAt(t) == ',') {
            t++;
            if (t < re.length() && re.charAt(t) == '}') {
                max = -1;
            } else {
                int[] parsed = decimal(re, t);
                if (parsed == null) {
                    return null;
                }
                max = parsed[0];
                t = parsed[1];
            }
        }
        if (t >= re.length() || re.charAt(t) != '}') {
            return null;
        }
        return new int[] {min[0], max, t + 1};
    }

    /** A decimal without a leading zero, as {value, end} (value capped past the limit), or null. */
    private static int[] decimal(String re, int at) {
        int end = at;
        long value = 0;
        while (end < re.length() && re.charAt(end) >= '0' && re.charAt(end) <= '9') {
            value = Math.min(value * 10 + re.charAt(end) - '0', MAX_REPEAT + 1);
            end++;
        }
        if (end == at || end - at > 1 && re.charAt(at) == '0') {
            return null;
        }
        return new int[] {(int) value, end};
    }

    /**
     * The items of one group so far: the largest product of nested counts among the finished items and that of the
     * last item, which a following repetition multiplies (1 when nothing counted is inside); and their sizes.
     */
    private static final class Group {
        private long finished = 1;
        private long last = 1;
        private long finishedSize;
        private long lastSize;

        void item(long product, long size) {
            finish();
            last = product;
            lastSize = size;
        }

        void alternative() {
            finish();
            finishedSize++;
            last = 1;
            lastSize = 0;
        }

        private void finish() {
            finished = Math.max(finished, last);
            finishedSize = Math.min(finishedSize + lastSize, SIZE_CAP);
        }

        long product() {
            return Math.max(finished, last);
        }

        long size() {
            return Math.min(finishedSize + lastSize + 1, SIZE_CAP);
        }
    }
}
