package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A regular expression in Go's RE2 syntax (what bexpr's {@code matches} uses), run on RE2/J, Google's Java port of
 * Go's {@code regexp} package: the same syntax, flags ({@code regexp.Compile}'s Perl flags), Unicode classes, case
 * folding and error messages, and matching in time linear in the input, whatever the expression.
 *
 * <p>Where RE2/J's parser differs from Go's, this class makes it answer as Go does (see {@link GoRegexRules}):
 * nested counted repetitions that multiply past 1000 are rejected, two groups may share a name, the scripts of
 * Unicode 6.1 to 13 ({@code \p{Adlam}}) are known, {@code \p{Unknown}} is not, and two messages are reworded to Go's
 * text. One limit is this server's own: compiling costs time in proportion to the program, so
 * the expressions of one filter may compile to at most {@value #MAX_PROGRAM_SIZE} instructions (Go allows some three
 * million per expression); past that, Go's {@code expression too large}.
 *
 * <p>Matching is unanchored (Go's {@code re.MatchString}). RE2/J reads the input through {@link CharSequence#charAt},
 * so a caller can bound a match on a huge value by passing a sequence that stops it (see {@link FilterDeadline}); an
 * exception thrown that way leaves nothing behind (RE2/J only returns a machine to its pool after a match completes).
 */
final class Re2Regex {

    // RE2/J's descriptions (PatternSyntaxException.getDescription()) that Go words differently
    private static final String TRAILING_BACKSLASH = "trailing backslash at end of expression";
    private static final String INTERNAL_ERROR = "regexp/syntax: internal error";
    private static final String DUPLICATE_NAME = "duplicate capture group name";

    /** The most instructions the expressions of one filter may compile to: some 100 ms of compiling at worst. */
    static final long MAX_PROGRAM_SIZE = 100_000;

    private final String expression;
    private final Pattern pattern;

    private Re2Regex(String expression, Pattern pattern) {
        this.expression = expression;
        this.pattern = pattern;
    }

    /** Parses a Go regular expression, failing where Go's {@code regexp.Compile} does, with Go's message. */
    static Re2Regex compile(String expression) throws SyntaxException {
        return compile(expression, MAX_PROGRAM_SIZE);
    }

    /**
     * As {@link #compile(String)}, with at most {@code sizeAllowed} instructions (what is left of the filter's
     * {@value #MAX_PROGRAM_SIZE}).
     */
    static Re2Regex compile(String expression, long sizeAllowed) throws SyntaxException {
        requireNonNull(expression, "expression");
        // before RE2/J, which would expand nested counts Go rejects into a program of billions of instructions
        GoRegexRules.Shape shape = GoRegexRules.shape(expression);
        if (shape.repeatOverLimit().isPresent()) {
            throw new SyntaxException("invalid repeat count", shape.repeatOverLimit().get());
        }
        if (shape.size() > sizeAllowed) {
            throw new SyntaxException("expression too large", expression, true);
        }
        String compiled = GoRegexRules.withScriptsSpelledOut(expression);
        Pattern pattern;
        try {
            pattern = Pattern.compile(compiled);
        } catch (PatternSyntaxException e) {
            if (!DUPLICATE_NAME.equals(e.getDescription())) {
                throw goError(e, expression, compiled);
            }
            // Go allows two groups of one name; names change nothing about whether a value matches
            String unnamed = GoRegexRules.withoutGroupNames(compiled);
            try {
                pattern = Pattern.compile(unnamed);
            } catch (PatternSyntaxException later) {
                throw goError(later, expression, unnamed);
            }
        }
        if (pattern.programSize() > sizeAllowed) { // the estimate is close, but this is the number that counts
            throw new SyntaxException("expression too large", expression, true);
        }
        return new Re2Regex(expression, pattern);
    }

    /** Go's error for what RE2/J rejected; {@code compiled} is the text RE2/J was given. */
    private static SyntaxException goError(PatternSyntaxException e, String expression, String compiled) {
        String code = e.getDescription();
        String expr = e.getPattern().equals(compiled) ? expression : e.getPattern();
        if (TRAILING_BACKSLASH.equals(code)) {
            return new SyntaxException(code, ""); // Go quotes an empty expression; RE2/J omits the quote
        }
        if (INTERNAL_ERROR.equals(code) && "stack underflow".equals(e.getPattern())) {
            return new SyntaxException("unexpected )", expression); // Go's ErrUnexpectedParen, which RE2/J lacks
        }
        return new SyntaxException(code, expr);
    }

    /** The Go expression. */
    String expression() {
        return expression;
    }

    /** The number of instructions in the compiled program: a bound on the work per character a match does. */
    int programSize() {
        return pattern.programSize();
    }

    /**
     * Whether the expression matches anywhere in the input, as Go's {@code Regexp.MatchString}. An unchecked
     * exception thrown by the input's {@code charAt} ends the match and propagates.
     */
    boolean find(CharSequence input) {
        requireNonNull(input, "input");
        return pattern.matcher(input).find();
    }

    /** A Go regexp syntax error, with Go's message: {@code error parsing regexp: CODE: `EXPR`}. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean tooLarge;

        SyntaxException(String code, String expr) {
            this(code, expr, false);
        }

        SyntaxException(String code, String expr, boolean tooLarge) {
            super("error parsing regexp: " + code + ": `" + expr + "`");
            this.tooLarge = tooLarge;
        }

        /** Over this project's program-size budget, which Go does not have, rather than a Go syntax error. */
        boolean tooLarge() {
            return tooLarge;
        }
    }
}
