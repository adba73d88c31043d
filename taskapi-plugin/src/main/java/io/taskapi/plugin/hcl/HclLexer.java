package io.taskapi.plugin.hcl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns HCL source into tokens. Newlines are tokens (they end attributes); comments and other whitespace are not.
 * Strings are resolved here (escapes, heredoc indentation), so the parser only sees values.
 */
final class HclLexer {
    enum Kind { IDENT, STRING, HEREDOC, NUMBER, LBRACE, RBRACE, LBRACKET, RBRACKET, EQUALS, COLON, COMMA, NEWLINE, EOF }

    /**
     * @param kind what it is
     * @param text identifier or number text, resolved string value; the punctuation itself otherwise
     * @param position where it starts
     */
    record Token(Kind kind, String text, HclPosition position) {
        /** {@return the token as an error message names it} */
        String describe() {
            switch (kind) {
                case IDENT:
                    return "identifier " + text;
                case STRING:
                    return "string \"" + text + "\"";
                case HEREDOC:
                    return "heredoc";
                case NUMBER:
                    return "number " + text;
                case NEWLINE:
                    return "newline";
                case EOF:
                    return "end of input";
                default:
                    return "'" + text + "'";
            }
        }
    }

    private final String src;
    private int pos;
    private int line = 1;
    private int column = 1;

    private HclLexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String source) {
        return new HclLexer(requireNonNull(source, "source is null")).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            HclPosition at = here();
            if (pos >= src.length()) {
                tokens.add(new Token(Kind.EOF, "", at));
                return tokens;
            }
            char c = src.charAt(pos);
            switch (c) {
                case '\n':
                    advance();
                    tokens.add(new Token(Kind.NEWLINE, "\n", at));
                    break;
                case '{':
                    tokens.add(punctuation(Kind.LBRACE, at));
                    break;
                case '}':
                    tokens.add(punctuation(Kind.RBRACE, at));
                    break;
                case '[':
                    tokens.add(punctuation(Kind.LBRACKET, at));
                    break;
                case ']':
                    tokens.add(punctuation(Kind.RBRACKET, at));
                    break;
                case '=':
                    tokens.add(punctuation(Kind.EQUALS, at));
                    break;
                case ':':
                    tokens.add(punctuation(Kind.COLON, at));
                    break;
                case ',':
                    tokens.add(punctuation(Kind.COMMA, at));
                    break;
                case '"':
                    tokens.add(new Token(Kind.STRING, quotedString(), at));
                    break;
                case '<':
                    tokens.add(new Token(Kind.HEREDOC, heredoc(), at));
                    break;
                default:
                    if (c == '-' || isDigit(c)) {
                        tokens.add(new Token(Kind.NUMBER, number(), at));
                    } else if (isIdentStart(c)) {
                        tokens.add(new Token(Kind.IDENT, identifier(), at));
                    } else {
                        throw new HclParseException(at, "unexpected character " + describeChar(src.codePointAt(pos)));
                    }
            }
        }
    }

    private Token punctuation(Kind kind, HclPosition at) {
        String text = String.valueOf(src.charAt(pos));
        advance();
        return new Token(kind, text, at);
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r') {
                advance();
            } else if (c == '#' || startsWith("//")) {
                // A line comment ends before the newline: the newline still ends the attribute.
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    advance();
                }
            } else if (startsWith("/*")) {
                HclPosition start = here();
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new HclParseException(start, "unterminated comment: missing */");
                }
                while (pos < end + 2) {
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
            advance();
        }
        return src.substring(start, pos);
    }

    private String number() {
        HclPosition at = here();
        int start = pos;
        if (src.charAt(pos) == '-') {
            advance();
            if (pos >= src.length() || !isDigit(src.charAt(pos))) {
                // No operators in this subset: a minus only makes sense in front of a number.
                throw new HclParseException(at, "unexpected character '-'");
            }
        }
        digits();
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
            advance();
            digits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int mark = pos + 1;
            if (mark < src.length() && (src.charAt(mark) == '+' || src.charAt(mark) == '-')) {
                mark++;
            }
            if (mark < src.length() && isDigit(src.charAt(mark))) {
                while (pos < mark) {
                    advance();
                }
                digits();
            }
        }
        if (pos < src.length() && (isIdentPart(src.charAt(pos)) || src.charAt(pos) == '.')) {
            throw new HclParseException(at, "invalid number " + src.substring(start, pos + 1) + "…");
        }
        return src.substring(start, pos);
    }

    private void digits() {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            advance();
        }
    }

    /** A double-quoted string: escapes resolved, template sequences kept verbatim. */
    private String quotedString() {
        HclPosition open = here();
        advance(); // the opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                // A quoted string never spans lines (HCL): a newline means the closing quote is missing.
                throw new HclParseException(open, "unterminated string");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                advance();
                return out.toString();
            } else if (c == '\\') {
                escape(out);
            } else if ((c == '$' || c == '%') && startsWith(c + "" + c + "{")) {
                // $${ and %%{ are HCL's escapes for a literal ${ and %{; kept as written for the template layer.
                copy(out, 3);
            } else if ((c == '$' || c == '%') && startsWith(c + "{")) {
                templateSequence(out);
            } else if (c < 0x20 && c != '\t') {
                throw new HclParseException(here(), "invalid control character " + describeChar(c) + " in string");
            } else {
                copy(out, 1);
            }
        }
    }

    /** Copies {@code ${ … }} verbatim, through nested braces and nested quoted strings, up to its closing brace. */
    private void templateSequence(StringBuilder out) {
        HclPosition open = here();
        copy(out, 2);
        int depth = 1;
        while (depth > 0) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new HclParseException(open, "unterminated template sequence: missing }");
            }
            char c = src.charAt(pos);
            if (c == '{') {
                depth++;
                copy(out, 1);
            } else if (c == '}') {
                depth--;
                copy(out, 1);
            } else if (c == '"') {
                nestedQuoted(out, open);
            } else {
                copy(out, 1);
            }
        }
    }

    private void nestedQuoted(StringBuilder out, HclPosition open) {
        copy(out, 1);
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new HclParseException(open, "unterminated template sequence: missing }");
            }
            char c = src.charAt(pos);
            if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) != '\n') {
                copy(out, 2);
            } else {
                copy(out, 1);
                if (c == '"') {
                    return;
                }
            }
        }
    }

    private void escape(StringBuilder out) {
        HclPosition at = here();
        if (pos + 1 >= src.length() || src.charAt(pos + 1) == '\n') {
            throw new HclParseException(at, "invalid escape sequence: \\ at end of line");
        }
        char e = src.charAt(pos + 1);
        switch (e) {
            case 'n':
                out.append('\n');
                break;
            case 'r':
                out.append('\r');
                break;
            case 't':
                out.append('\t');
                break;
            case '"':
                out.append('"');
                break;
            case '\\':
                out.append('\\');
                break;
            case 'u':
                out.appendCodePoint(unicodeEscape(at, 4));
                return;
            case 'U':
                out.appendCodePoint(unicodeEscape(at, 8));
                return;
            default:
                throw new HclParseException(at, "invalid escape sequence \\" + new String(Character.toChars(
                        src.codePointAt(pos + 1))));
        }
        advance();
        advance();
    }

    private int unicodeEscape(HclPosition at, int digits) {
        int start = pos + 2;
        int end = start;
        while (end < start + digits && end < src.length() && isHexDigit(src.charAt(end))) {
            end++;
        }
        String hex = src.substring(start, end);
        String written = src.substring(pos, pos + 2) + hex;
        if (hex.length() != digits) {
            throw new HclParseException(at, "invalid escape sequence " + written + ": needs " + digits + " hex digits");
        }
        // Eight hex digits go up to FFFFFFFF, past int: read them as a long.
        long codePoint = Long.parseLong(hex, 16);
        if (codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            throw new HclParseException(at, "invalid escape sequence " + written + ": not a Unicode scalar value");
        }
        while (pos < end) {
            advance();
        }
        return (int) codePoint;
    }

    /**
     * {@code <<MARKER} or {@code <<-MARKER}, a newline, lines, then a line holding only the marker (indentation
     * allowed). The value keeps every line's newline; {@code <<-} also removes the indentation common to all non-blank
     * lines (HCL 2's rule). Nothing is unescaped.
     */
    private String heredoc() {
        HclPosition open = here();
        if (!startsWith("<<")) {
            throw new HclParseException(open, "unexpected character '<'");
        }
        advance();
        advance();
        boolean indented = false;
        if (pos < src.length() && src.charAt(pos) == '-') {
            indented = true;
            advance();
        }
        if (pos >= src.length() || !isIdentStart(src.charAt(pos))) {
            throw new HclParseException(open, "invalid heredoc: << must be followed by a marker such as EOF");
        }
        String marker = identifier();
        if (startsWith("\r\n")) {
            advance();
        }
        if (pos >= src.length() || src.charAt(pos) != '\n') {
            throw new HclParseException(here(), "invalid heredoc: a newline must follow <<" + (indented ? "-" : "")
                    + marker);
        }
        // The marker line's newline starts the content; the closing marker line's newline ends the attribute.
        advance();
        List<String> lines = new ArrayList<>();
        while (true) {
            if (pos >= src.length()) {
                throw new HclParseException(open, "unterminated heredoc: missing closing " + marker);
            }
            int end = src.indexOf('\n', pos);
            int lineEnd = end < 0 ? src.length() : end;
            String text = src.substring(pos, lineEnd);
            String bare = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            if (stripIndent(bare).equals(marker)) {
                while (pos < lineEnd) {
                    advance();
                }
                break;
            }
            lines.add(bare);
            while (pos < lineEnd) {
                advance();
            }
            if (end < 0) {
                throw new HclParseException(open, "unterminated heredoc: missing closing " + marker);
            }
            advance(); // the newline
        }
        int strip = indented ? commonIndent(lines) : 0;
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.length() >= strip ? l.substring(strip) : "").append('\n');
        }
        return out.toString();
    }

    private static String stripIndent(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    private static int commonIndent(List<String> lines) {
        int min = Integer.MAX_VALUE;
        for (String l : lines) {
            if (stripIndent(l).isEmpty()) {
                continue; // blank lines do not count (HCL 2)
            }
            min = Math.min(min, l.length() - stripIndent(l).length());
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    private void copy(StringBuilder out, int chars) {
        for (int i = 0; i < chars; i++) {
            out.append(src.charAt(pos));
            advance();
        }
    }

    private boolean startsWith(String s) {
        return src.startsWith(s, pos);
    }

    private void advance() {
        char c = src.charAt(pos++);
        if (c == '\n') {
            line++;
            column = 1;
        } else if (!Character.isLowSurrogate(c)) {
            column++; // a surrogate pair is one column
        }
    }

    private HclPosition here() {
        return new HclPosition(line, column);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '-';
    }

    private static String describeChar(int codePoint) {
        if (codePoint < 0x20 || codePoint == 0x7f || !Character.isDefined(codePoint)
                || Character.isWhitespace(codePoint) || Character.getType(codePoint) == Character.FORMAT) {
            return String.format("U+%04X", codePoint);
        }
        return "'" + new String(Character.toChars(codePoint)) + "'";
    }
}
