package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * A hand-written recursive-descent parser for go-bexpr's grammar ({@code grammar/grammar.peg}), rule for rule.
 *
 * <p>bexpr's grammar is a PEG: alternatives are tried in order and the first that matches wins, with unlimited
 * backtracking. That is what makes {@code not in foo} a valid expression ({@code "not"} is the value) and
 * {@code foo == bar} compare with the text {@code "bar"}. Each method below is one rule and tries the same
 * alternatives in the same order, so the same texts parse, to the same trees.
 *
 * <p>Errors are reported the way bexpr's generated parser (pigeon) reports them, so a bad filter gets Nomad's
 * message: either the errors a rule raised on purpose (e.g. {@code 1:12 (11): rule "string": Unterminated string
 * literal}, several joined by newlines), or, when none was raised, the farthest place any terminal failed to match and
 * every terminal expected there ({@code 1:4 (3): no match found, expected: "in", "not" or [ \t\r\n]}). To get the
 * same list, terminals record their failures exactly as pigeon's do, including the inverted recording inside
 * {@code !} predicates (how "EOF" gets in).
 *
 * <p>Where the grammar would parse the same text twice (e.g. {@code And "or" Or / And}), it is parsed once: a
 * deterministic parser records the same failures and raises the same errors the second time, so nothing observable
 * changes, and the parse stays linear instead of exponential in the nesting depth. {@code and}/{@code or} chains and
 * {@code not} chains are loops, so only parentheses and collection braces recurse, and they are limited to
 * {@link #MAX_NESTING} levels.
 */
final class Parser {

    /** The deepest nesting of parentheses and collection braces accepted (bexpr has no limit but a step budget). */
    static final int MAX_NESTING = 64;

    private static final String RULE_GROUPING = "\"grouping\"";
    private static final String RULE_MATCH = "\"match\"";
    private static final String RULE_INDEX = "\"index\"";
    private static final String RULE_NUMBER = "\"number\"";
    private static final String RULE_STRING = "\"string\"";

    private static final CharClass WHITESPACE = new CharClass("[ \\t\\r\\n]",
            c -> c == ' ' || c == '\t' || c == '\r' || c == '\n');
    private static final CharClass LETTER = new CharClass("[a-zA-Z]",
            c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z');
    private static final CharClass IDENTIFIER_REST = new CharClass("[a-zA-Z0-9_/]",
            c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '/');
    private static final CharClass DIGIT = new CharClass("[0-9]", c -> c >= '0' && c <= '9');
    private static final CharClass NONZERO_DIGIT = new CharClass("[1-9]", c -> c >= '1' && c <= '9');
    private static final CharClass POINTER_CHAR = new CharClass("[\\pL\\pN-_.~:|]", Parser::isPointerChar);

    private final String src;
    private int pos;
    private int nesting;

    // pigeon's error state: the farthest failure, what was expected there, and errors raised by rules
    private int maxFailPos;
    private final Set<String> maxFailExpected = new HashSet<>();
    private boolean inverted;
    private final Map<String, SourcePosition> errors = new LinkedHashMap<>();

    private Parser(String src) {
        this.src = src;
    }

    /** Parses a whole expression, or fails with bexpr's message. */
    static Expr parse(String expression) throws FilterException {
        requireNonNull(expression, "expression");
        Parser parser = new Parser(expression);
        Expr result;
        try {
            result = parser.input();
        } catch (TooDeep e) {
            SourcePosition at = SourcePosition.of(expression, e.index);
            throw new FilterException(at + ": expression nests deeper than " + MAX_NESTING + " levels", at);
        }
        if (!parser.errors.isEmpty()) {
            SourcePosition first = parser.errors.values().iterator().next();
            throw new FilterException(String.join("\n", parser.errors.keySet()), first);
        }
        if (result == null) {
            SourcePosition at = SourcePosition.of(expression, parser.maxFailPos);
            throw new FilterException(at + ": no match found, expected: " + parser.expectedList(), at);
        }
        return result;
    }

    /** pigeon's list: sorted, de-duplicated, "!." shown last as EOF, joined with commas and a final "or". */
    private String expectedList() {
        boolean eof = maxFailExpected.contains("!.");
        List<String> expected = maxFailExpected.stream().filter(s -> !s.equals("!.")).sorted()
                .collect(Collectors.toCollection(ArrayList::new));
        if (eof) {
            expected.add("EOF");
        }
        if (expected.size() == 1) {
            return expected.get(0);
        }
        return String.join(", ", expected.subList(0, expected.size() - 1)) + " or "
                + expected.get(expected.size() - 1);
    }

    // ---- rules ----

    // Input <- _? "(" _? OrExpression _? ")" _? EOF / _? OrExpression _? EOF
    private Expr input() {
        int start = pos;
        optionalWhitespace();
        if (literal("(")) {
            enter(pos - 1); // this parenthesis nests like any other
            optionalWhitespace();
            Expr e = orExpression();
            nesting--;
            if (e != null) {
                optionalWhitespace();
                if (literal(")")) {
                    optionalWhitespace();
                    if (eof()) {
                        return e;
                    }
                }
            }
        }
        pos = start;
        optionalWhitespace();
        Expr e = orExpression();
        if (e != null) {
            optionalWhitespace();
            if (eof()) {
                return e;
            }
        }
        pos = start;
        return null;
    }

    // OrExpression <- AndExpression _ "or" _ OrExpression / AndExpression / CollectionExpression
    private Expr orExpression() {
        Expr first = andExpression();
        if (first == null) {
            return collectionExpression();
        }
        List<Expr> terms = new ArrayList<>();
        terms.add(first);
        while (true) {
            int save = pos;
            if (whitespace() && literal("or") && whitespace()) {
                Expr next = andExpression();
                if (next != null) {
                    terms.add(next);
                    continue;
                }
                // the right-hand OrExpression's first two alternatives failed as AndExpression did; its third remains
                Expr collection = collectionExpression();
                if (collection != null) {
                    terms.add(collection);
                    break;
                }
            }
            pos = save;
            break;
        }
        return terms.size() == 1 ? first : new Expr.Or(terms);
    }

    // AndExpression <- NotExpression _ "and" _ AndExpression / NotExpression
    private Expr andExpression() {
        Expr first = notExpression();
        if (first == null) {
            return null;
        }
        List<Expr> terms = new ArrayList<>();
        terms.add(first);
        while (true) {
            int save = pos;
            if (whitespace() && literal("and") && whitespace()) {
                Expr next = notExpression();
                if (next != null) {
                    terms.add(next);
                    continue;
                }
            }
            pos = save;
            break;
        }
        return terms.size() == 1 ? first : new Expr.And(terms);
    }

    // NotExpression <- "not" _ NotExpression / ParenthesizedExpression
    private Expr notExpression() {
        int start = pos;
        // levels.get(j) is where the j-th nested NotExpression starts; each matched `"not" _` opens another
        List<Integer> levels = new ArrayList<>();
        while (true) {
            int p = pos;
            levels.add(p);
            if (!(literal("not") && whitespace())) {
                pos = p;
                break;
            }
        }
        // innermost first: a level whose inner NotExpression failed falls back to its own second alternative
        for (int j = levels.size() - 1; j >= 0; j--) {
            pos = levels.get(j);
            Expr e = parenthesizedExpression();
            if (e != null) {
                return j % 2 == 1 ? new Expr.Not(e) : e; // bexpr folds "not not x" into x as well
            }
        }
        pos = start;
        return null;
    }

    // CollectionExpression <- (CollectionOpAny / CollectionOpAll) Selector _ "as" _ CollectionIdentifiers _? "{" _?
    //                         OrExpression _? "}"
    private Expr collectionExpression() {
        int start = pos;
        boolean all;
        if (literal("any") && whitespace()) {
            all = false;
        } else {
            pos = start;
            if (literal("all") && whitespace()) {
                all = true;
            } else {
                pos = start;
                return null;
            }
        }
        Selector selector = selector();
        if (selector != null && whitespace() && literal("as") && whitespace()) {
            Expr.Binding binding = collectionIdentifiers();
            if (binding != null) {
                optionalWhitespace();
                if (literal("{")) {
                    optionalWhitespace();
                    enter(start);
                    Expr inner = orExpression();
                    nesting--;
                    if (inner != null) {
                        optionalWhitespace();
                        if (literal("}")) {
                            return new Expr.Collection(all, selector, binding, inner);
                        }
                    }
                }
            }
        }
        pos = start;
        return null;
    }

    // CollectionIdentifiers <- Identifier _? "," _? Identifier / Identifier _? "," _? "_" / "_" _? "," _? Identifier
    //                          / Identifier
    private Expr.Binding collectionIdentifiers() {
        int start = pos;
        String first = identifier();
        if (first != null) {
            optionalWhitespace();
            if (literal(",")) {
                optionalWhitespace();
                String second = identifier();
                if (second != null) {
                    return new Expr.Binding(Optional.of(first), Optional.of(second), Optional.empty());
                }
            }
        }
        pos = start;
        first = identifier();
        if (first != null) {
            optionalWhitespace();
            if (literal(",")) {
                optionalWhitespace();
                if (literal("_")) {
                    return new Expr.Binding(Optional.of(first), Optional.empty(), Optional.empty());
                }
            }
        }
        pos = start;
        if (literal("_")) {
            optionalWhitespace();
            if (literal(",")) {
                optionalWhitespace();
                String second = identifier();
                if (second != null) {
                    return new Expr.Binding(Optional.empty(), Optional.of(second), Optional.empty());
                }
            }
        }
        pos = start;
        String single = identifier();
        if (single != null) {
            return new Expr.Binding(Optional.empty(), Optional.empty(), Optional.of(single));
        }
        pos = start;
        return null;
    }

    // ParenthesizedExpression "grouping" <- "(" _? OrExpression _? ")" / MatchExpression
    //                                       / "(" _? OrExpression _? !")" &{ Unmatched parentheses }
    private Expr parenthesizedExpression() {
        int start = pos;
        int unmatchedAt = -1;
        if (literal("(")) {
            enter(start);
            optionalWhitespace();
            Expr inner = orExpression();
            nesting--;
            if (inner != null) {
                optionalWhitespace();
                if (literal(")")) {
                    return inner;
                }
                unmatchedAt = pos; // the third alternative reaches exactly here and raises its error
            }
        }
        pos = start;
        Expr match = matchExpression();
        if (match != null) {
            return match;
        }
        if (unmatchedAt >= 0) {
            addError(unmatchedAt, RULE_GROUPING, "Unmatched parentheses");
        }
        pos = start;
        return null;
    }

    // MatchExpression "match" <- MatchSelectorOpValue / MatchSelectorOp / MatchValueOpSelector
    private Expr matchExpression() {
        Expr e = matchSelectorOpValue();
        if (e == null) {
            e = matchSelectorOp();
        }
        if (e == null) {
            e = matchValueOpSelector();
        }
        return e;
    }

    // MatchSelectorOpValue <- Selector (MatchEqual / MatchNotEqual / MatchContains / MatchNotContains / MatchMatches
    //                         / MatchNotMatches) Value
    private Expr matchSelectorOpValue() {
        int start = pos;
        Selector selector = selector();
        if (selector != null) {
            MatchOperator op = null;
            if (symbolOperator("==")) {
                op = MatchOperator.EQUAL;
            } else if (symbolOperator("!=")) {
                op = MatchOperator.NOT_EQUAL;
            } else if (words(true, "contains")) {
                op = MatchOperator.IN;
            } else if (words(true, "not", "contains")) {
                op = MatchOperator.NOT_IN;
            } else if (words(true, "matches")) {
                op = MatchOperator.MATCHES;
            } else if (words(true, "not", "matches")) {
                op = MatchOperator.NOT_MATCHES;
            }
            if (op != null) {
                Expr.MatchValue value = value();
                if (value != null) {
                    return new Expr.Match(selector, op, Optional.of(value));
                }
            }
        }
        pos = start;
        return null;
    }

    // MatchSelectorOp <- Selector (MatchIsEmpty / MatchIsNotEmpty / MatchIsNil / MatchIsNotNil)
    private Expr matchSelectorOp() {
        int start = pos;
        Selector selector = selector();
        if (selector != null) {
            MatchOperator op = null;
            if (words(false, "is", "empty")) {
                op = MatchOperator.IS_EMPTY;
            } else if (words(false, "is", "not", "empty")) {
                op = MatchOperator.IS_NOT_EMPTY;
            } else if (words(false, "is", "nil")) {
                op = MatchOperator.IS_NIL;
            } else if (words(false, "is", "not", "nil")) {
                op = MatchOperator.IS_NOT_NIL;
            }
            if (op != null) {
                return new Expr.Match(selector, op, Optional.empty());
            }
        }
        pos = start;
        return null;
    }

    // MatchValueOpSelector <- Value (MatchIn / MatchNotIn) Selector
    //                         / Value (MatchIn / MatchNotIn) !Selector &{ Invalid selector }
    private Expr matchValueOpSelector() {
        int start = pos;
        Expr.MatchValue value = value();
        if (value != null) {
            MatchOperator op = inOperator();
            if (op != null) {
                Selector selector = selector();
                if (selector != null) {
                    return new Expr.Match(selector, op, Optional.of(value));
                }
            }
        }
        pos = start;
        if (value() != null && inOperator() != null) {
            int at = pos;
            if (not(() -> selector() != null)) {
                addError(at, RULE_MATCH, "Invalid selector");
            }
        }
        pos = start;
        return null;
    }

    private MatchOperator inOperator() {
        if (words(true, "in")) {
            return MatchOperator.IN;
        }
        if (words(true, "not", "in")) {
            return MatchOperator.NOT_IN;
        }
        return null;
    }

    // MatchEqual <- _? "==" _?   (and "!=")
    private boolean symbolOperator(String symbol) {
        int start = pos;
        optionalWhitespace();
        if (!literal(symbol)) {
            pos = start;
            return false;
        }
        optionalWhitespace();
        return true;
    }

    // e.g. MatchNotIn <- _ "not" _ "in" _ ; MatchIsEmpty <- _ "is" _ "empty"
    private boolean words(boolean trailingWhitespace, String... words) {
        int start = pos;
        for (String word : words) {
            if (!(whitespace() && literal(word))) {
                pos = start;
                return false;
            }
        }
        if (trailingWhitespace && !whitespace()) {
            pos = start;
            return false;
        }
        return true;
    }

    // Selector "selector" <- Identifier SelectorOrIndex* / '"' JsonPointerSegment* '"'
    private Selector selector() {
        int start = pos;
        String first = identifier();
        if (first != null) {
            List<String> path = new ArrayList<>();
            path.add(first);
            for (String part = selectorOrIndex(); part != null; part = selectorOrIndex()) {
                path.add(part);
            }
            return new Selector(false, path);
        }
        if (literal("\"")) {
            List<String> segments = new ArrayList<>();
            for (String segment = jsonPointerSegment(); segment != null; segment = jsonPointerSegment()) {
                segments.add(segment);
            }
            if (literal("\"")) {
                return new Selector(true, pointerParts(segments));
            }
        }
        pos = start;
        return null;
    }

    /**
     * What bexpr gets from {@code pointerstructure.Parse("/" + join(segments, "/"))}: the segments, or one empty part
     * for {@code ""}, with {@code ~1} and then {@code ~0} unescaped.
     */
    private static List<String> pointerParts(List<String> segments) {
        if (segments.isEmpty()) {
            return List.of("");
        }
        return segments.stream().map(s -> s.replace("~1", "/").replace("~0", "~")).collect(Collectors.toList());
    }

    // JsonPointerSegment <- '/' [\pL\pN-_.~:|]+
    private String jsonPointerSegment() {
        int start = pos;
        if (literal("/") && charClass(POINTER_CHAR)) {
            while (charClass(POINTER_CHAR)) {
                // consume the rest of the segment
            }
            return src.substring(start + 1, pos);
        }
        pos = start;
        return null;
    }

    // Identifier <- [a-zA-Z] [a-zA-Z0-9_/]*
    private String identifier() {
        int start = pos;
        if (!charClass(LETTER)) {
            return null;
        }
        while (charClass(IDENTIFIER_REST)) {
            // consume the rest of the identifier
        }
        return src.substring(start, pos);
    }

    // SelectorOrIndex <- "." Identifier / IndexExpression / "." [0-9]+
    private String selectorOrIndex() {
        int start = pos;
        if (literal(".")) {
            String identifier = identifier();
            if (identifier != null) {
                return identifier;
            }
        }
        pos = start;
        String index = indexExpression();
        if (index != null) {
            return index;
        }
        pos = start;
        if (literal(".") && charClass(DIGIT)) {
            while (charClass(DIGIT)) {
                // consume the rest of the number
            }
            return src.substring(start + 1, pos);
        }
        pos = start;
        return null;
    }

    // IndexExpression "index" <- "[" _? StringLiteral _? "]" / "[" _? !StringLiteral &{ Invalid index }
    //                            / "[" _? StringLiteral _? !"]" &{ Unclosed index expression }
    private String indexExpression() {
        int start = pos;
        if (literal("[")) {
            optionalWhitespace();
            String key = stringLiteral();
            if (key != null) {
                optionalWhitespace();
                if (literal("]")) {
                    return key;
                }
            }
        }
        pos = start;
        if (literal("[")) {
            optionalWhitespace();
            if (not(() -> stringLiteral() != null)) {
                addError(pos, RULE_INDEX, "Invalid index");
            }
        }
        pos = start;
        if (literal("[")) {
            optionalWhitespace();
            if (stringLiteral() != null) {
                optionalWhitespace();
                if (not(() -> literal("]"))) {
                    addError(pos, RULE_INDEX, "Unclosed index expression");
                }
            }
        }
        pos = start;
        return null;
    }

    // Value "value" <- Selector / NumberLiteral / StringLiteral
    private Expr.MatchValue value() {
        int start = pos;
        Selector selector = selector();
        if (selector != null) {
            return new Expr.MatchValue(selector.toString(), start, Optional.empty());
        }
        String number = numberLiteral();
        if (number != null) {
            return new Expr.MatchValue(number, start, Optional.empty());
        }
        String string = stringLiteral();
        if (string != null) {
            return new Expr.MatchValue(string, start, Optional.empty());
        }
        return null;
    }

    // NumberLiteral "number" <- "-"? IntegerOrFloat &AfterNumbers
    //                           / "-"? IntegerOrFloat !AfterNumbers &{ Invalid number literal }
    private String numberLiteral() {
        int start = pos;
        literal("-");
        if (integerOrFloat() && and(this::afterNumbers)) {
            return src.substring(start, pos);
        }
        pos = start;
        literal("-");
        if (integerOrFloat() && not(this::afterNumbers)) {
            addError(pos, RULE_NUMBER, "Invalid number literal");
        }
        pos = start;
        return null;
    }

    // AfterNumbers <- &(_ / EOF / ")")
    private boolean afterNumbers() {
        return and(() -> whitespace() || eof() || literal(")"));
    }

    // IntegerOrFloat <- ("0" / [1-9][0-9]*) ("." [0-9]+)?
    private boolean integerOrFloat() {
        int start = pos;
        if (!literal("0")) {
            if (!charClass(NONZERO_DIGIT)) {
                pos = start;
                return false;
            }
            while (charClass(DIGIT)) {
                // consume the integer part
            }
        }
        int fraction = pos;
        if (literal(".") && charClass(DIGIT)) {
            while (charClass(DIGIT)) {
                // consume the fraction
            }
        } else {
            pos = fraction;
        }
        return true;
    }

    // StringLiteral "string" <- ('`' RawStringChar* '`' / '"' DoubleStringChar* '"') { strconv.Unquote }
    //                           / ('`' RawStringChar* / '"' DoubleStringChar*) EOF &{ Unterminated string literal }
    private String stringLiteral() {
        int start = pos;
        if (quoted('`', true) || quoted('"', true)) {
            try {
                return GoStrconv.unquote(src.substring(start, pos));
            } catch (GoStrconv.UnquoteException e) {
                addError(start, RULE_STRING, e.getMessage()); // like pigeon, the literal still counts as parsed
                return "";
            }
        }
        pos = start;
        if ((quoted('`', false) || quoted('"', false)) && eof()) {
            addError(pos, RULE_STRING, "Unterminated string literal");
        }
        pos = start;
        return null;
    }

    // '`' RawStringChar* '`' where RawStringChar <- !'`' . (and the same with '"'), with or without the closing quote
    private boolean quoted(char quote, boolean closed) {
        int start = pos;
        String q = String.valueOf(quote);
        if (!literal(q)) {
            return false;
        }
        while (true) {
            int p = pos;
            if (!(not(() -> literal(q)) && anyChar())) {
                pos = p;
                break;
            }
        }
        if (closed && !literal(q)) {
            pos = start;
            return false;
        }
        return true;
    }

    // ---- terminals and predicates, recording failures as pigeon does ----

    private boolean literal(String text) {
        int start = pos;
        String want = GoStrconv.quote(text);
        if (src.startsWith(text, pos)) {
            pos += text.length();
            failAt(true, start, want);
            return true;
        }
        failAt(false, start, want);
        return false;
    }

    private boolean charClass(CharClass cls) {
        int start = pos;
        if (pos < src.length()) {
            int cp = src.codePointAt(pos);
            if (cls.matcher.test(cp)) {
                pos += Character.charCount(cp);
                failAt(true, start, cls.text);
                return true;
            }
        }
        failAt(false, start, cls.text);
        return false;
    }

    private boolean anyChar() {
        int start = pos;
        if (pos < src.length()) {
            pos += Character.charCount(src.codePointAt(pos));
            failAt(true, start, ".");
            return true;
        }
        failAt(false, start, ".");
        return false;
    }

    // _ "whitespace" <- [ \t\r\n]+
    private boolean whitespace() {
        if (!charClass(WHITESPACE)) {
            return false;
        }
        while (charClass(WHITESPACE)) {
            // consume the rest of the run
        }
        return true;
    }

    private void optionalWhitespace() {
        whitespace();
    }

    // EOF <- !.
    private boolean eof() {
        return not(this::anyChar);
    }

    /** {@code !e}: succeeds where e fails, consumes nothing, and records e's successes instead of its failures. */
    private boolean not(BooleanSupplier e) {
        int start = pos;
        inverted = !inverted;
        boolean ok = e.getAsBoolean();
        inverted = !inverted;
        pos = start;
        return !ok;
    }

    /** {@code &e}: succeeds where e does, consuming nothing. */
    private boolean and(BooleanSupplier e) {
        int start = pos;
        boolean ok = e.getAsBoolean();
        pos = start;
        return ok;
    }

    /** pigeon's {@code failAt}: keep what was expected at the farthest position only. */
    private void failAt(boolean matched, int at, String want) {
        if (matched != inverted) {
            return;
        }
        if (at < maxFailPos) {
            return;
        }
        if (at > maxFailPos) {
            maxFailPos = at;
            maxFailExpected.clear();
        }
        maxFailExpected.add(inverted ? "!" + want : want);
    }

    private void addError(int at, String rule, String message) {
        SourcePosition position = SourcePosition.of(src, at);
        errors.putIfAbsent(position + ": rule " + rule + ": " + message, position);
    }

    private void enter(int at) {
        if (++nesting > MAX_NESTING) {
            throw new TooDeep(at);
        }
    }

    private static boolean isPointerChar(int cp) {
        if (cp == '-' || cp == '_' || cp == '.' || cp == '~' || cp == ':' || cp == '|') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER:
                return true;
            default:
                return false;
        }
    }

    /** A character class terminal: its text as pigeon names it in messages, and what it accepts. */
    private record CharClass(String text, IntPredicate matcher) {
    }

    /** Aborts a parse that nests too deeply, before the stack does. */
    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int index;

        TooDeep(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }
}
