package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The parts of Go's {@code strconv} that go-bexpr's behaviour depends on, reproduced exactly: which texts parse, to
 * what, and with which error. bexpr coerces the raw text of a filter value with {@code ParseInt(s, 0, 64)},
 * {@code ParseFloat(s, 64)} and {@code ParseBool(s)} depending on the type of the field, unquotes literals with
 * {@code Unquote}, and quotes text in its messages with {@code Quote}. Java's own parsers accept different texts (no
 * {@code 0x}/{@code 0o}/{@code 0b} prefixes or {@code _} separators, but trailing {@code d}/{@code f}), so they are
 * only used after the text has been checked here.
 */
final class GoStrconv {

    private GoStrconv() {
    }

    /** Go's {@code *strconv.NumError}: which function, which text, and whether it was syntax or range. */
    static final class NumError extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean range;

        NumError(String function, String text, boolean range) {
            super("strconv." + function + ": parsing " + quote(text) + ": "
                    + (range ? "value out of range" : "invalid syntax"));
            this.range = range;
        }

        /** Whether the text was well formed but out of range (Go's {@code ErrRange}), rather than malformed. */
        boolean isRange() {
            return range;
        }
    }

    /** Thrown by {@link #unquote} for text Go's {@code strconv.Unquote} rejects ({@code ErrSyntax}). */
    static final class UnquoteException extends Exception {
        private static final long serialVersionUID = 1L;

        UnquoteException(String message) {
            super(message);
        }
    }

    /** {@code strconv.ParseBool}: exactly 1, t, T, TRUE, true, True and 0, f, F, FALSE, false, False. */
    static boolean parseBool(String s) throws NumError {
        switch (s) {
            case "1", "t", "T", "TRUE", "true", "True":
                return true;
            case "0", "f", "F", "FALSE", "false", "False":
                return false;
            default:
                throw new NumError("ParseBool", s, false);
        }
    }

    /**
     * {@code strconv.ParseInt(s, 0, 64)}: an optional sign, then a {@code 0x}, {@code 0o}, {@code 0b} or bare
     * {@code 0} (octal) prefix, digits, and {@code _} between digits.
     */
    static long parseInt(String s) throws NumError {
        if (s.isEmpty()) {
            throw new NumError("ParseInt", s, false);
        }
        boolean negative = false;
        String unsigned = s;
        if (s.charAt(0) == '+') {
            unsigned = s.substring(1);
        } else if (s.charAt(0) == '-') {
            negative = true;
            unsigned = s.substring(1);
        }
        long magnitude;
        try {
            magnitude = parseUint(unsigned);
        } catch (NumError e) {
            if (!e.isRange()) {
                throw new NumError("ParseInt", s, false);
            }
            throw new NumError("ParseInt", s, true);
        }
        // magnitude is an unsigned 64-bit value; int64 allows up to 2^63-1, or 2^63 when negative
        if (!negative && Long.compareUnsigned(magnitude, Long.MIN_VALUE) >= 0) {
            throw new NumError("ParseInt", s, true);
        }
        if (negative && Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) {
            throw new NumError("ParseInt", s, true);
        }
        return negative ? -magnitude : magnitude;
    }

    /** {@code strconv.ParseUint(s, 0, 64)}; the result is an unsigned 64-bit value held in a long. */
    static long parseUint(String s) throws NumError {
        if (s.isEmpty()) {
            throw new NumError("ParseUint", s, false);
        }
        int base = 10;
        int start = 0;
        if (s.charAt(0) == '0') {
            char prefix = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : 0;
            if (prefix == 'b') {
                base = 2;
                start = 2;
            } else if (prefix == 'o') {
                base = 8;
                start = 2;
            } else if (prefix == 'x') {
                base = 16;
                start = 2;
            } else {
                base = 8;
                start = 1;
            }
        }
        long cutoff = Long.divideUnsigned(-1L, base) + 1;
        boolean underscores = false;
        long n = 0;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            int digit;
            if (c == '_') {
                underscores = true;
                continue;
            } else if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (Character.toLowerCase(c) >= 'a' && Character.toLowerCase(c) <= 'z' && c < 0x80) {
                digit = Character.toLowerCase(c) - 'a' + 10;
            } else {
                throw new NumError("ParseUint", s, false);
            }
            if (digit >= base) {
                throw new NumError("ParseUint", s, false);
            }
            if (Long.compareUnsigned(n, cutoff) >= 0) {
                throw new NumError("ParseUint", s, true);
            }
            n *= base;
            long next = n + digit;
            if (Long.compareUnsigned(next, n) < 0) {
                throw new NumError("ParseUint", s, true);
            }
            n = next;
        }
        if (underscores && !underscoreOk(s)) {
            throw new NumError("ParseUint", s, false);
        }
        return n;
    }

    /**
     * {@code strconv.ParseFloat(s, 64)}: decimal and hexadecimal ({@code 0x1.8p3}) floats with {@code _} between
     * digits, and inf, infinity, nan in any case. Overflow to infinity is a range error, as in Go.
     */
    static double parseFloat(String s) throws NumError {
        Double special = special(s);
        if (special != null) {
            return special;
        }
        if (!isGoFloatSyntax(s)) {
            throw new NumError("ParseFloat", s, false);
        }
        String plain = s.replace("_", "");
        double value = Double.parseDouble(plain);
        if (Double.isInfinite(value)) {
            throw new NumError("ParseFloat", s, true);
        }
        return value;
    }

    private static Double special(String s) {
        if (s.isEmpty()) {
            return null;
        }
        String body = s;
        double sign = 1;
        char first = s.charAt(0);
        if (first == '+' || first == '-') {
            sign = first == '-' ? -1 : 1;
            body = s.substring(1);
            // Go accepts a sign before inf/infinity only, never before nan
            return isInfinity(body) ? sign * Double.POSITIVE_INFINITY : null;
        }
        if (isInfinity(body)) {
            return Double.POSITIVE_INFINITY;
        }
        if (body.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        return null;
    }

    private static boolean isInfinity(String s) {
        return s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity");
    }

    /** Go's {@code readFloat} acceptance, requiring the whole text to be consumed. */
    private static boolean isGoFloatSyntax(String s) {
        int i = 0;
        int n = s.length();
        boolean underscores = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        boolean hex = false;
        if (i + 2 < n && s.charAt(i) == '0' && Character.toLowerCase(s.charAt(i + 1)) == 'x') {
            hex = true;
            i += 2;
        }
        boolean sawDot = false;
        boolean sawDigits = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == '_') {
                underscores = true;
            } else if (c == '.') {
                if (sawDot) {
                    break;
                }
                sawDot = true;
            } else if (c >= '0' && c <= '9') {
                sawDigits = true;
            } else if (hex && Character.toLowerCase(c) >= 'a' && Character.toLowerCase(c) <= 'f') {
                sawDigits = true;
            } else {
                break;
            }
        }
        if (!sawDigits) {
            return false;
        }
        char expChar = hex ? 'p' : 'e';
        if (i < n && Character.toLowerCase(s.charAt(i)) == expChar) {
            i++;
            if (i >= n) {
                return false;
            }
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                i++;
            }
            if (i >= n || s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
            for (; i < n && (s.charAt(i) >= '0' && s.charAt(i) <= '9' || s.charAt(i) == '_'); i++) {
                if (s.charAt(i) == '_') {
                    underscores = true;
                }
            }
        } else if (hex) {
            return false; // a hexadecimal mantissa requires a p exponent
        }
        if (underscores && !underscoreOk(s.substring(0, i))) {
            return false;
        }
        return i == n;
    }

    /** Go's rule: an underscore only between digits, or between a base prefix and a digit. */
    private static boolean underscoreOk(String s) {
        char saw = '^';
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0') {
            char prefix = Character.toLowerCase(s.charAt(1));
            if (prefix == 'b' || prefix == 'o' || prefix == 'x') {
                i = 2;
                saw = '0';
                hex = prefix == 'x';
            }
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            char lower = Character.toLowerCase(c);
            if (c >= '0' && c <= '9' || hex && lower >= 'a' && lower <= 'f') {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }

    /**
     * {@code strconv.Unquote} for the two literal forms bexpr's grammar produces: a backquoted raw string (carriage
     * returns dropped, nothing unescaped) and a double-quoted string with Go escapes.
     *
     * @throws UnquoteException where Go returns {@code ErrSyntax} ("invalid syntax"), and, unlike Go, where
     *     {@code \x}/octal escapes spell bytes that are not UTF-8 (a Java string cannot hold them)
     */
    static String unquote(String literal) throws UnquoteException {
        requireNonNull(literal, "literal");
        int n = literal.length();
        if (n < 2 || literal.charAt(0) != literal.charAt(n - 1)) {
            throw new UnquoteException("invalid syntax");
        }
        char quote = literal.charAt(0);
        String body = literal.substring(1, n - 1);
        if (quote == '`') {
            if (body.indexOf('`') >= 0) {
                throw new UnquoteException("invalid syntax");
            }
            return body.replace("\r", "");
        }
        if (quote != '"') {
            throw new UnquoteException("invalid syntax");
        }
        ByteBuffer out = ByteBuffer.allocate(body.length() * 4);
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '\n' || c == '"') {
                throw new UnquoteException("invalid syntax");
            }
            if (c != '\\') {
                int cp = body.codePointAt(i);
                out.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= body.length()) {
                throw new UnquoteException("invalid syntax");
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.put((byte) 7);
                case 'b' -> out.put((byte) 8);
                case 'f' -> out.put((byte) 12);
                case 'n' -> out.put((byte) 10);
                case 'r' -> out.put((byte) 13);
                case 't' -> out.put((byte) 9);
                case 'v' -> out.put((byte) 11);
                case '\\' -> out.put((byte) '\\');
                case '"' -> out.put((byte) '"');
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + digits > body.length()) {
                        throw new UnquoteException("invalid syntax");
                    }
                    long v = 0;
                    for (int j = 0; j < digits; j++) {
                        int d = Character.digit(body.charAt(i + j), 16);
                        if (d < 0 || body.charAt(i + j) > 0x7f) {
                            throw new UnquoteException("invalid syntax");
                        }
                        v = v << 4 | d;
                    }
                    i += digits;
                    if (e == 'x') {
                        out.put((byte) v); // a single byte, possibly not UTF-8 on its own
                    } else {
                        if (v > Character.MAX_CODE_POINT || v >= 0xD800 && v <= 0xDFFF) {
                            throw new UnquoteException("invalid syntax");
                        }
                        out.put(new String(Character.toChars((int) v)).getBytes(StandardCharsets.UTF_8));
                    }
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > body.length()) {
                        throw new UnquoteException("invalid syntax");
                    }
                    int v = e - '0';
                    for (int j = 0; j < 2; j++) {
                        int d = body.charAt(i + j) - '0';
                        if (d < 0 || d > 7) {
                            throw new UnquoteException("invalid syntax");
                        }
                        v = v << 3 | d;
                    }
                    i += 2;
                    if (v > 255) {
                        throw new UnquoteException("invalid syntax");
                    }
                    out.put((byte) v);
                }
                default -> throw new UnquoteException("invalid syntax");
            }
        }
        out.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(out)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnquoteException("escapes spell bytes that are not valid UTF-8");
        }
    }

    /** {@code strconv.Quote}, as Go's {@code %q} prints strings in bexpr's messages. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 7 -> b.append("\\a");
                case 8 -> b.append("\\b");
                case 12 -> b.append("\\f");
                case 10 -> b.append("\\n");
                case 13 -> b.append("\\r");
                case 9 -> b.append("\\t");
                case 11 -> b.append("\\v");
                default -> {
                    if (isGoPrint(cp)) {
                        b.appendCodePoint(cp);
                    } else if (cp < ' ' || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isGoPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }
}
