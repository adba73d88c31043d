package io.taskapi.plugin.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import io.taskapi.plugin.filter.Re2Regex.SyntaxException;

/**
 * Reads a Go regular expression the way Go's {@code regexp/syntax.parse} does (with {@code regexp.Compile}'s Perl
 * flags) and writes the equivalent Java pattern. It follows Go's parser step by step, a stack of parsed pieces with
 * markers for open parentheses and vertical bars, so that it accepts and rejects the same expressions with the same
 * message; the Java text it writes uses only escapes, classes, non-capturing groups, quantifiers and lookaround.
 * One instance reads one expression.
 */
final class Re2Translator {

    private static final int MAX_NESTING = 1000; // Go's maxHeight
    private static final String WORD = "[0-9A-Za-z_]";
    private static final int[] DIGITS = {'0', '9'};
    private static final int[] PERL_SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};
    private static final int[] WORD_CHARS = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
    private static final Map<String, int[]> POSIX = Map.ofEntries(
            Map.entry("alnum", new int[] {'0', '9', 'A', 'Z', 'a', 'z'}),
            Map.entry("alpha", new int[] {'A', 'Z', 'a', 'z'}),
            Map.entry("ascii", new int[] {0, 0x7f}),
            Map.entry("blank", new int[] {'\t', '\t', ' ', ' '}),
            Map.entry("cntrl", new int[] {0, 0x1f, 0x7f, 0x7f}),
            Map.entry("digit", new int[] {'0', '9'}),
            Map.entry("graph", new int[] {'!', '~'}),
            Map.entry("lower", new int[] {'a', 'z'}),
            Map.entry("print", new int[] {' ', '~'}),
            Map.entry("punct", new int[] {'!', '/', ':', '@', '[', '`', '{', '~'}),
            Map.entry("space", new int[] {'\t', '\r', ' ', ' '}),
            Map.entry("upper", new int[] {'A', 'Z'}),
            Map.entry("word", WORD_CHARS),
            Map.entry("xdigit", new int[] {'0', '9', 'A', 'F', 'a', 'f'}));
    // Go's unicode.Categories
    private static final Set<String> CATEGORIES = Set.of("C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt",
            "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S",
            "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");

    private static final int FOLD = 1;
    private static final int DOT_NL = 2;
    private static final int ONE_LINE = 4;
    private static final int NON_GREEDY = 8;

    private final String s;
    private final int n;
    private int i;
    private int flags = ONE_LINE; // regexp.Compile: Perl flags, so ^ and $ are text anchors until (?m)
    private final List<Item> stack = new ArrayList<>();
    private int openParens;

    Re2Translator(String s) {
        this.s = s;
        this.n = s.length();
    }

    String translate() throws SyntaxException {
        int lastRepeat = -1;
        while (i < n) {
            int repeat = -1;
            char c = s.charAt(i);
            switch (c) {
                case '(' -> {
                    if (i + 1 < n && s.charAt(i + 1) == '?') {
                        perlFlags();
                    } else {
                        openParen(flags);
                        i++;
                    }
                }
                case '|' -> {
                    stack.add(Item.VERTICAL_BAR);
                    i++;
                }
                case ')' -> {
                    closeParen();
                    i++;
                }
                case '^' -> {
                    push(Node.zeroWidth((flags & ONE_LINE) != 0 ? "\\A" : "(?<![^\\n])"));
                    i++;
                }
                case '$' -> {
                    push(Node.zeroWidth((flags & ONE_LINE) != 0 ? "\\z" : "(?![^\\n])"));
                    i++;
                }
                case '.' -> {
                    push(Node.atom((flags & DOT_NL) != 0 ? "[\\x{0}-\\x{10FFFF}]" : "[^\\n]"));
                    i++;
                }
                case '[' -> charClass();
                case '*', '+', '?' -> {
                    int before = i;
                    i = repeat(c, 0, 0, before, i + 1, lastRepeat);
                    repeat = before;
                }
                case '{' -> {
                    int before = i;
                    int[] counts = repeatCounts(i); // {min, max, after} or null
                    if (counts == null) {
                        literal('{'); // not a valid repeat: a literal brace, as in Go
                        i++;
                    } else {
                        int min = counts[0];
                        int max = counts[1];
                        if (min < 0 || min > 1000 || max > 1000 || max >= 0 && min > max) {
                            throw new SyntaxException("invalid repeat count", s.substring(before, counts[2]));
                        }
                        i = repeat('{', min, max, before, counts[2], lastRepeat);
                        repeat = before;
                    }
                }
                case '\\' -> backslash();
                default -> {
                    int cp = s.codePointAt(i);
                    literal(cp);
                    i += Character.charCount(cp);
                }
            }
            lastRepeat = repeat;
        }
        List<Item> all = new ArrayList<>(stack);
        stack.clear();
        for (Item item : all) {
            if (item.kind == Item.Kind.LEFT_PAREN) {
                throw new SyntaxException("missing closing )", s);
            }
        }
        return alternation(all).java;
    }

    private void openParen(int savedFlags) throws SyntaxException {
        if (++openParens > MAX_NESTING) {
            throw new SyntaxException("expression nests too deeply", s);
        }
        stack.add(Item.leftParen(savedFlags));
    }

    private void closeParen() throws SyntaxException {
        int open = stack.size() - 1;
        while (open >= 0 && stack.get(open).kind != Item.Kind.LEFT_PAREN) {
            open--;
        }
        if (open < 0) {
            throw new SyntaxException("unexpected )", s);
        }
        List<Item> inside = new ArrayList<>(stack.subList(open + 1, stack.size()));
        flags = stack.get(open).savedFlags;
        stack.subList(open, stack.size()).clear();
        openParens--;
        Node body = alternation(inside);
        stack.add(Item.node(new Node("(?:" + body.java + ")", true, 0, 0, false, List.of(body))));
    }

    /** Alternatives separated by vertical bars, each a concatenation. */
    private static Node alternation(List<Item> items) {
        List<String> alternatives = new ArrayList<>();
        List<Node> subs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (Item item : items) {
            if (item.kind == Item.Kind.VERTICAL_BAR) {
                alternatives.add(current.toString());
                current.setLength(0);
            } else {
                current.append(item.node.java);
                subs.add(item.node);
            }
        }
        alternatives.add(current.toString());
        String java = alternatives.size() == 1 ? alternatives.get(0) : "(?:" + String.join("|", alternatives) + ")";
        return new Node(java, false, 0, 0, false, subs);
    }

    // (?flags) (?flags:re) (?P<name>re) (?<name>re)
    private void perlFlags() throws SyntaxException {
        int start = i;
        boolean pythonName = n - start > 4 && s.charAt(start + 2) == 'P' && s.charAt(start + 3) == '<';
        boolean perlName = n - start > 3 && s.charAt(start + 2) == '<';
        if (pythonName || perlName) {
            int end = s.indexOf('>', start);
            if (end < 0) {
                throw new SyntaxException("invalid named capture", s.substring(start));
            }
            String name = s.substring(start + (pythonName ? 4 : 3), end);
            if (!isValidCaptureName(name)) {
                throw new SyntaxException("invalid named capture", s.substring(start, end + 1));
            }
            openParen(flags); // names don't matter to a yes/no match, so it becomes a plain group
            i = end + 1;
            return;
        }
        int t = start + 2;
        int newFlags = flags;
        boolean negated = false;
        boolean sawFlag = false;
        while (t < n) {
            int c = s.codePointAt(t);
            t += Character.charCount(c);
            switch (c) {
                case 'i' -> newFlags = set(newFlags, FOLD, !negated);
                case 'm' -> newFlags = set(newFlags, ONE_LINE, negated);
                case 's' -> newFlags = set(newFlags, DOT_NL, !negated);
                case 'U' -> newFlags = set(newFlags, NON_GREEDY, !negated);
                case '-' -> {
                    if (negated) {
                        throw new SyntaxException("invalid or unsupported Perl syntax", s.substring(start, t));
                    }
                    negated = true;
                    sawFlag = false;
                    continue;
                }
                case ':', ')' -> {
                    if (negated && !sawFlag) {
                        throw new SyntaxException("invalid or unsupported Perl syntax", s.substring(start, t));
                    }
                    if (c == ':') {
                        openParen(flags);
                    }
                    flags = newFlags;
                    i = t;
                    return;
                }
                default -> throw new SyntaxException("invalid or unsupported Perl syntax",
                        s.substring(start, t));
            }
            sawFlag = true;
        }
        throw new SyntaxException("invalid or unsupported Perl syntax", s.substring(start, t));
    }

    private static int set(int flags, int flag, boolean on) {
        return on ? flags | flag : flags & ~flag;
    }

    private static boolean isValidCaptureName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c != '_' && !isAlnum(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code {min}}, {@code {min,}} or {@code {min,max}} at {@code at}; null if not of that form. */
    private int[] repeatCounts(int at) {
        int t = at + 1;
        int[] min = decimal(t);
        if (min == null) {
            return null;
        }
        t = min[1];
        if (t >= n) {
            return null;
        }
        int max;
        if (s.charAt(t) != ',') {
            max = min[0];
        } else {
            t++;
            if (t >= n) {
                return null;
            }
            if (s.charAt(t) == '}') {
                max = -1;
            } else {
                int[] parsedMax = decimal(t);
                if (parsedMax == null) {
                    return null;
                }
                max = parsedMax[0];
                t = parsedMax[1];
                if (max < 0) {
                    min[0] = -1; // too big
                }
            }
        }
        if (t >= n || s.charAt(t) != '}') {
            return null;
        }
        return new int[] {min[0], max, t + 1};
    }

    /** A decimal without leading zeros at {@code at}: {value (-1 if huge), end}, or null. */
    private int[] decimal(int at) {
        if (at >= n || s.charAt(at) < '0' || s.charAt(at) > '9') {
            return null;
        }
        if (at + 1 < n && s.charAt(at) == '0' && s.charAt(at + 1) >= '0' && s.charAt(at + 1) <= '9') {
            return null;
        }
        int end = at;
        while (end < n && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        int value = 0;
        for (int k = at; k < end; k++) {
            if (value >= 100_000_000) {
                value = -1;
                break;
            }
            value = value * 10 + s.charAt(k) - '0';
        }
        return new int[] {value, end};
    }

    /** Applies a repetition to the item on top of the stack; returns where parsing continues. */
    private int repeat(char op, int min, int max, int before, int after, int lastRepeat) throws SyntaxException {
        int repeatFlags = flags;
        if (after < n && s.charAt(after) == '?') {
            after++;
            repeatFlags ^= NON_GREEDY;
        }
        if (lastRepeat >= 0) {
            throw new SyntaxException("invalid nested repetition operator", s.substring(lastRepeat, after));
        }
        if (stack.isEmpty() || stack.get(stack.size() - 1).kind != Item.Kind.NODE) {
            throw new SyntaxException("missing argument to repetition operator", s.substring(before, after));
        }
        Node sub = stack.remove(stack.size() - 1).node;
        String quantifier = switch (op) {
            case '*' -> "*";
            case '+' -> "+";
            case '?' -> "?";
            default -> max == min ? "{" + min + "}" : max < 0 ? "{" + min + ",}" : "{" + min + "," + max + "}";
        };
        if ((repeatFlags & NON_GREEDY) != 0) {
            quantifier += "?";
        }
        String operand = sub.atomic ? sub.java : "(?:" + sub.java + ")";
        Node node = new Node(operand + quantifier, false, min, max, op == '{', List.of(sub));
        stack.add(Item.node(node));
        if (op == '{' && (min >= 2 || max >= 2) && !repeatIsValid(node, 1000)) {
            throw new SyntaxException("invalid repeat count", s.substring(before, after));
        }
        return after;
    }

    /** Go's rule: nested counted repetitions may not multiply past 1000 copies of anything. */
    private static boolean repeatIsValid(Node node, int limit) {
        if (node.counted) {
            int m = node.max;
            if (m == 0) {
                return true;
            }
            if (m < 0) {
                m = node.min;
            }
            if (m > limit) {
                return false;
            }
            if (m > 0) {
                limit /= m;
            }
        }
        for (Node sub : node.subs) {
            if (!repeatIsValid(sub, limit)) {
                return false;
            }
        }
        return true;
    }

    private void backslash() throws SyntaxException {
        if (i + 1 < n) {
            switch (s.charAt(i + 1)) {
                case 'A' -> {
                    push(Node.zeroWidth("\\A"));
                    i += 2;
                    return;
                }
                case 'z' -> {
                    push(Node.zeroWidth("\\z"));
                    i += 2;
                    return;
                }
                case 'b' -> {
                    // Go's word boundary is ASCII and ignores (?i)
                    push(Node.atom("(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))"));
                    i += 2;
                    return;
                }
                case 'B' -> {
                    push(Node.atom("(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))"));
                    i += 2;
                    return;
                }
                case 'C' -> throw new SyntaxException("invalid escape sequence", s.substring(i, i + 2));
                case 'Q' -> {
                    int end = s.indexOf("\\E", i + 2);
                    String quoted = end < 0 ? s.substring(i + 2) : s.substring(i + 2, end);
                    quoted.codePoints().forEach(this::literal);
                    i = end < 0 ? n : end + 2;
                    return;
                }
                default -> {
                    // an escape handled below
                }
            }
        }
        Re2CharClass cls = new Re2CharClass((flags & FOLD) != 0);
        if (i + 1 < n && (s.charAt(i + 1) == 'p' || s.charAt(i + 1) == 'P')) {
            i = unicodeClass(i, cls);
            push(Node.atom(cls.build(false)));
            return;
        }
        int afterPerl = perlClass(i, cls);
        if (afterPerl >= 0) {
            i = afterPerl;
            push(Node.atom(cls.build(false)));
            return;
        }
        Scanned escaped = escape(i);
        literal(escaped.codePoint());
        i = escaped.next();
    }

    /** A single-character escape at {@code at}. */
    private Scanned escape(int at) throws SyntaxException {
        int t = at + 1;
        if (t >= n) {
            throw new SyntaxException("trailing backslash at end of expression", "");
        }
        int c = s.codePointAt(t);
        t += Character.charCount(c);
        switch (c) {
            case '1', '2', '3', '4', '5', '6', '7' -> {
                if (t >= n || s.charAt(t) < '0' || s.charAt(t) > '7') {
                    break; // a single digit would be a backreference: unsupported
                }
                return octal(c, t);
            }
            case '0' -> {
                return octal(c, t);
            }
            case 'x' -> {
                if (t >= n) {
                    break;
                }
                int c2 = s.codePointAt(t);
                t += Character.charCount(c2);
                if (c2 == '{') {
                    int digits = 0;
                    int value = 0;
                    while (true) {
                        if (t >= n) {
                            throw new SyntaxException("invalid escape sequence", s.substring(at, t));
                        }
                        int d = s.codePointAt(t);
                        t += Character.charCount(d);
                        if (d == '}') {
                            break;
                        }
                        int v = hex(d);
                        if (v < 0) {
                            throw new SyntaxException("invalid escape sequence", s.substring(at, t));
                        }
                        value = value * 16 + v;
                        if (value > Character.MAX_CODE_POINT) {
                            throw new SyntaxException("invalid escape sequence", s.substring(at, t));
                        }
                        digits++;
                    }
                    if (digits == 0) {
                        break;
                    }
                    return new Scanned(value, t);
                }
                int x = hex(c2);
                int y = -1;
                if (t < n) {
                    int c3 = s.codePointAt(t);
                    t += Character.charCount(c3);
                    y = hex(c3);
                }
                if (x < 0 || y < 0) {
                    break;
                }
                return new Scanned(x * 16 + y, t);
            }
            case 'a' -> {
                return new Scanned(7, t);
            }
            case 'f' -> {
                return new Scanned(12, t);
            }
            case 'n' -> {
                return new Scanned(10, t);
            }
            case 'r' -> {
                return new Scanned(13, t);
            }
            case 't' -> {
                return new Scanned(9, t);
            }
            case 'v' -> {
                return new Scanned(11, t);
            }
            default -> {
                if (c < 0x80 && !isAlnum(c)) {
                    return new Scanned(c, t); // an escaped punctuation character is itself
                }
            }
        }
        throw new SyntaxException("invalid escape sequence", s.substring(at, t));
    }

    private Scanned octal(int first, int t) {
        int value = first - '0';
        for (int k = 1; k < 3 && t < n && s.charAt(t) >= '0' && s.charAt(t) <= '7'; k++) {
            value = value * 8 + s.charAt(t) - '0';
            t++;
        }
        return new Scanned(value, t);
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** \d \D \s \S \w \W at {@code at}: adds it and returns the next index, or -1 if there is none. */
    private int perlClass(int at, Re2CharClass cls) {
        if (at + 1 >= n || s.charAt(at) != '\\') {
            return -1;
        }
        char c = s.charAt(at + 1);
        int[] ranges = switch (Character.toLowerCase(c)) {
            case 'd' -> DIGITS;
            case 's' -> PERL_SPACE;
            case 'w' -> WORD_CHARS;
            default -> null;
        };
        if (ranges == null || c != 'd' && c != 'D' && c != 's' && c != 'S' && c != 'w' && c != 'W') {
            return -1;
        }
        cls.addRanges(ranges, Character.isUpperCase(c));
        return at + 2;
    }

    /** \pL, \p{Greek}, \PL, \p{^Greek} at {@code at}: adds it and returns the next index. */
    private int unicodeClass(int at, Re2CharClass cls) throws SyntaxException {
        boolean negated = s.charAt(at + 1) == 'P';
        int t = at + 2;
        String seq;
        String name;
        if (t < n && s.charAt(t) == '{') {
            int end = s.indexOf('}', at);
            if (end < 0) {
                throw new SyntaxException("invalid character class range", s.substring(at));
            }
            seq = s.substring(at, end + 1);
            name = s.substring(at + 3, end);
            t = end + 1;
        } else {
            if (t < n) {
                t += Character.charCount(s.codePointAt(t));
            }
            seq = s.substring(at, t);
            name = s.substring(at + 2, t);
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        if (name.equals("Any")) {
            cls.addRanges(new int[] {0, Character.MAX_CODE_POINT}, negated);
            return t;
        }
        String property = javaProperty(name);
        if (property == null) {
            throw new SyntaxException("invalid character class range", seq);
        }
        cls.addProperty(property, negated);
        return t;
    }

    /** The Java property for a Go category or script name, or null if Go knows no such name. */
    private static String javaProperty(String name) {
        if (CATEGORIES.contains(name)) {
            return name;
        }
        if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return null;
        }
        try {
            Character.UnicodeScript script = Character.UnicodeScript.forName(name);
            // Go spells scripts Title_Case (Old_Italic, SignWriting) and knows no aliases (Latn) nor Unknown
            if (script == Character.UnicodeScript.UNKNOWN
                    || !script.name().equals(name.toUpperCase(Locale.ROOT))) {
                return null;
            }
            return "Is" + name;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // [...] as Go's parseClass reads it
    private void charClass() throws SyntaxException {
        int start = i;
        int t = i + 1;
        boolean negated = false;
        if (t < n && s.charAt(t) == '^') {
            negated = true;
            t++;
        }
        Re2CharClass cls = new Re2CharClass((flags & FOLD) != 0);
        boolean first = true; // ] is a literal as the first character
        while (t >= n || s.charAt(t) != ']' || first) {
            first = false;
            if (n - t > 2 && s.charAt(t) == '[' && s.charAt(t + 1) == ':') {
                int end = s.indexOf(":]", t + 2);
                if (end >= 0) {
                    String full = s.substring(t, end + 2);
                    String name = s.substring(t + 2, end);
                    boolean posixNegated = name.startsWith("^");
                    int[] ranges = POSIX.get(posixNegated ? name.substring(1) : name);
                    if (ranges == null) {
                        throw new SyntaxException("invalid character class range", full);
                    }
                    cls.addRanges(ranges, posixNegated);
                    t = end + 2;
                    continue;
                }
            }
            if (t + 1 < n && s.charAt(t) == '\\' && (s.charAt(t + 1) == 'p' || s.charAt(t + 1) == 'P')) {
                t = unicodeClass(t, cls);
                continue;
            }
            int afterPerl = perlClass(t, cls);
            if (afterPerl >= 0) {
                t = afterPerl;
                continue;
            }
            int rangeStart = t;
            Scanned lo = classChar(t, start);
            t = lo.next();
            int low = lo.codePoint();
            int high = low;
            if (n - t >= 2 && s.charAt(t) == '-' && s.charAt(t + 1) != ']') {
                Scanned hi = classChar(t + 1, start);
                t = hi.next();
                high = hi.codePoint();
                if (high < low) {
                    throw new SyntaxException("invalid character class range", s.substring(rangeStart, t));
                }
            }
            cls.addRange(low, high);
        }
        i = t + 1;
        push(Node.atom(cls.build(negated)));
    }

    private Scanned classChar(int at, int classStart) throws SyntaxException {
        if (at >= n) {
            throw new SyntaxException("missing closing ]", s.substring(classStart));
        }
        if (s.charAt(at) == '\\') {
            return escape(at);
        }
        int cp = s.codePointAt(at);
        return new Scanned(cp, at + Character.charCount(cp));
    }

    private void literal(int cp) {
        if ((flags & FOLD) != 0) {
            int[] orbit = CaseFolding.orbit(cp);
            if (orbit.length > 1) {
                StringBuilder cls = new StringBuilder("[");
                for (int member : orbit) {
                    cls.append(Re2CharClass.escape(member));
                }
                push(Node.atom(cls.append(']').toString()));
                return;
            }
        }
        push(Node.atom(Re2CharClass.escape(cp)));
    }

    private void push(Node node) {
        stack.add(Item.node(node));
    }

    static boolean isAlnum(int c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    /** A character read from the expression, and where reading goes on. */
    private record Scanned(int codePoint, int next) {
    }

    /** A parsed piece: its Java text, and what Go's repeat-count check needs to know about it. */
    private record Node(String java, boolean atomic, int min, int max, boolean counted, List<Node> subs) {
        static Node atom(String java) {
            return new Node(java, true, 0, 0, false, List.of());
        }

        static Node zeroWidth(String java) {
            return new Node(java, false, 0, 0, false, List.of());
        }
    }

    /** A stack entry: a parsed node, an open parenthesis (with the flags to restore), or a vertical bar. */
    private record Item(Kind kind, Node node, int savedFlags) {
        enum Kind { NODE, LEFT_PAREN, VERTICAL_BAR }

        static final Item VERTICAL_BAR = new Item(Kind.VERTICAL_BAR, null, 0);

        static Item node(Node node) {
            return new Item(Kind.NODE, node, 0);
        }

        static Item leftParen(int savedFlags) {
            return new Item(Kind.LEFT_PAREN, null, savedFlags);
        }
    }
}
