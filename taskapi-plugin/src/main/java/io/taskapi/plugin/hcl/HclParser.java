package io.taskapi.plugin.hcl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.hcl.HclLexer.Kind;
import io.taskapi.plugin.hcl.HclLexer.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the HCL subset that Nomad ACL policies and job files use: blocks with quoted labels, attributes
 * whose values are strings, heredocs, numbers, bools, {@code null}, lists and objects, and the three comment styles.
 *
 * <p>Strict means: every problem is an {@link HclParseException} with a {@code line:column}, nothing is dropped, moved
 * or merged. In particular an attribute or block must be followed by a newline (or the closing brace of its block), so
 * {@code policy = "read" "write"} is an error rather than a silently ignored token; attribute names are unique within a
 * body; block labels must be quoted strings.
 */
public final class HclParser {
    /** Deeper nesting than this is refused rather than risking the stack. */
    static final int MAX_DEPTH = 64;

    private final List<Token> tokens;
    private int next;

    private HclParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * @param source HCL text
     * @return its top-level body
     * @throws HclParseException on any syntax error, with the position of the problem
     */
    public static HclBody parse(String source) {
        requireNonNull(source, "source is null");
        HclParser parser = new HclParser(HclLexer.tokenize(source));
        return parser.body(null, null, 0);
    }

    /**
     * Parses {@code source} and checks it against {@code schema}.
     *
     * @param source HCL text
     * @param schema what the top-level body may contain
     * @return its top-level body
     * @throws HclParseException on any syntax or schema error
     */
    public static HclBody parse(String source, HclSchema schema) {
        requireNonNull(schema, "schema is null");
        HclBody body = parse(source);
        schema.validate(body);
        return body;
    }

    /**
     * @param open the block's opening brace, or null at the top level
     * @param blockType the block's type, for messages, or null at the top level
     */
    private HclBody body(Token open, String blockType, int depth) {
        if (depth > MAX_DEPTH) {
            throw new HclParseException(open.position(), "blocks nested deeper than " + MAX_DEPTH + " levels");
        }
        List<HclAttribute> attributes = new ArrayList<>();
        List<HclBlock> blocks = new ArrayList<>();
        Map<String, HclPosition> attributeNames = new HashMap<>();
        while (true) {
            skipNewlines();
            Token token = peek();
            if (token.kind() == Kind.EOF) {
                if (open != null) {
                    throw new HclParseException(open.position(),
                            "unterminated block \"" + blockType + "\": missing }");
                }
                return new HclBody(attributes, blocks);
            }
            if (token.kind() == Kind.RBRACE) {
                if (open == null) {
                    throw new HclParseException(token.position(), "unexpected '}': no block to close");
                }
                take();
                return new HclBody(attributes, blocks);
            }
            if (token.kind() != Kind.IDENT) {
                throw new HclParseException(token.position(),
                        "unexpected " + token.describe() + ": expected an attribute name or a block type");
            }
            Token name = take();
            Token after = peek();
            if (after.kind() == Kind.EQUALS) {
                take();
                HclPosition first = attributeNames.get(name.text());
                if (first != null) {
                    throw new HclParseException(name.position(),
                            "duplicate attribute \"" + name.text() + "\" (first defined at " + first + ")");
                }
                HclValue value = value(name.text(), depth);
                attributeNames.put(name.text(), name.position());
                attributes.add(new HclAttribute(name.text(), value, name.position()));
                endOfItem("attribute \"" + name.text() + "\"");
            } else if (after.kind() == Kind.STRING || after.kind() == Kind.LBRACE
                    || ((after.kind() == Kind.IDENT || after.kind() == Kind.NUMBER) && braceAhead())) {
                blocks.add(block(name, depth));
                endOfItem("block \"" + name.text() + "\"");
            } else if (after.kind() == Kind.NEWLINE || after.kind() == Kind.EOF || after.kind() == Kind.RBRACE
                    || after.kind() == Kind.IDENT || after.kind() == Kind.NUMBER || after.kind() == Kind.HEREDOC
                    || after.kind() == Kind.LBRACKET) {
                // `policy read`, `policy [..]`, `policy` alone: a value (or nothing) where '=' belongs.
                throw new HclParseException(after.position(), "missing '=' after \"" + name.text() + "\"");
            } else {
                throw new HclParseException(after.position(), "unexpected " + after.describe() + " after \""
                        + name.text() + "\": expected '=' or a block");
            }
        }
    }

    private HclBlock block(Token type, int depth) {
        List<HclString> labels = new ArrayList<>();
        while (peek().kind() != Kind.LBRACE) {
            Token label = peek();
            if (label.kind() == Kind.STRING) {
                take();
                labels.add(new HclString(label.text(), label.position()));
            } else if (label.kind() == Kind.IDENT || label.kind() == Kind.NUMBER || label.kind() == Kind.HEREDOC) {
                throw new HclParseException(label.position(),
                        "block label must be a quoted string, found " + label.describe());
            } else {
                // type "label" followed by something other than {: most likely `name "value"` missing its '='.
                throw new HclParseException(label.position(), "missing '=' or '{' after \"" + type.text() + "\""
                        + (labels.isEmpty() ? "" : " \"" + labels.get(labels.size() - 1).value() + "\""));
            }
        }
        Token open = take();
        HclBody body = body(open, type.text(), depth + 1);
        return new HclBlock(type.text(), labels, body, type.position());
    }

    /** After an attribute or a block: a newline, the end of input, or the enclosing block's closing brace. */
    private void endOfItem(String what) {
        Token token = peek();
        if (token.kind() != Kind.NEWLINE && token.kind() != Kind.EOF && token.kind() != Kind.RBRACE) {
            throw new HclParseException(token.position(),
                    "unexpected " + token.describe() + " after " + what + ": expected a newline");
        }
    }

    /** Whether a '{' comes before the end of the line: tells <code>job example {</code> (unquoted label) from typos. */
    private boolean braceAhead() {
        for (int i = next; i < tokens.size(); i++) {
            Kind kind = tokens.get(i).kind();
            if (kind == Kind.LBRACE) {
                return true;
            }
            if (kind == Kind.NEWLINE || kind == Kind.EOF || kind == Kind.EQUALS) {
                return false;
            }
        }
        return false;
    }

    private HclValue value(String owner, int depth) {
        if (depth > MAX_DEPTH) {
            throw new HclParseException(peek().position(), "values nested deeper than " + MAX_DEPTH + " levels");
        }
        Token token = peek();
        switch (token.kind()) {
            case STRING:
            case HEREDOC:
                take();
                return new HclString(token.text(), token.position());
            case NUMBER:
                take();
                return number(token);
            case IDENT:
                take();
                if (token.text().equals("true") || token.text().equals("false")) {
                    return new HclBool(token.text().equals("true"), token.position());
                }
                if (token.text().equals("null")) {
                    return new HclNull(token.position());
                }
                throw new HclParseException(token.position(), "unexpected " + token.describe()
                        + ": expected a value (strings must be quoted)");
            case LBRACKET:
                return list(owner, depth);
            case LBRACE:
                return object(depth);
            case NEWLINE:
            case EOF:
            case RBRACE:
            case RBRACKET:
            case COMMA:
                throw new HclParseException(token.position(), "missing value for \"" + owner + "\"");
            default:
                throw new HclParseException(token.position(), "unexpected " + token.describe() + ": expected a value");
        }
    }

    private HclList list(String owner, int depth) {
        Token open = take();
        List<HclValue> elements = new ArrayList<>();
        while (true) {
            skipNewlines();
            Token token = peek();
            if (token.kind() == Kind.EOF) {
                throw new HclParseException(open.position(), "unterminated list: missing ]");
            }
            if (token.kind() == Kind.RBRACKET) {
                take();
                return new HclList(elements, open.position());
            }
            elements.add(value(owner, depth + 1));
            skipNewlines();
            Token separator = peek();
            if (separator.kind() == Kind.COMMA) {
                take();
            } else if (separator.kind() == Kind.EOF) {
                throw new HclParseException(open.position(), "unterminated list: missing ]");
            } else if (separator.kind() != Kind.RBRACKET) {
                throw new HclParseException(separator.position(),
                        "unexpected " + separator.describe() + " in list: expected ',' or ']'");
            }
        }
    }

    private HclObject object(int depth) {
        Token open = take();
        List<HclAttribute> entries = new ArrayList<>();
        Map<String, HclPosition> keys = new HashMap<>();
        while (true) {
            skipNewlines();
            Token key = peek();
            if (key.kind() == Kind.EOF) {
                throw new HclParseException(open.position(), "unterminated object: missing }");
            }
            if (key.kind() == Kind.RBRACE) {
                take();
                return new HclObject(entries, open.position());
            }
            if (key.kind() != Kind.IDENT && key.kind() != Kind.STRING) {
                throw new HclParseException(key.position(),
                        "unexpected " + key.describe() + " in object: expected a key");
            }
            take();
            Token equals = peek();
            if (equals.kind() != Kind.EQUALS && equals.kind() != Kind.COLON) {
                throw new HclParseException(equals.position(), "missing '=' after \"" + key.text() + "\"");
            }
            take();
            HclPosition first = keys.get(key.text());
            if (first != null) {
                throw new HclParseException(key.position(),
                        "duplicate key \"" + key.text() + "\" (first defined at " + first + ")");
            }
            HclValue value = value(key.text(), depth + 1);
            keys.put(key.text(), key.position());
            entries.add(new HclAttribute(key.text(), value, key.position()));
            Token separator = peek();
            if (separator.kind() == Kind.COMMA || separator.kind() == Kind.NEWLINE) {
                take();
            } else if (separator.kind() == Kind.EOF) {
                throw new HclParseException(open.position(), "unterminated object: missing }");
            } else if (separator.kind() != Kind.RBRACE) {
                throw new HclParseException(separator.position(),
                        "unexpected " + separator.describe() + " in object: expected ',', a newline or '}'");
            }
        }
    }

    private void skipNewlines() {
        while (peek().kind() == Kind.NEWLINE) {
            next++;
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private static HclNumber number(Token token) {
        boolean integral = token.text().chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
        try {
            return new HclNumber(new BigDecimal(token.text()), integral, token.position());
        } catch (NumberFormatException e) {
            // Digits the lexer accepts, with an exponent beyond BigDecimal's int scale (1e99999999999).
            throw new HclParseException(token.position(), "number is out of range");
        }
    }
}
