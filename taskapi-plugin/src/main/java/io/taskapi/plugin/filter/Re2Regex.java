package io.taskapi.plugin.filter;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression in Go's RE2 syntax (what bexpr's {@code matches} uses), run on {@code java.util.regex}.
 *
 * <p>The expression is parsed the way Go's {@code regexp/syntax} parses it with the flags {@code regexp.Compile}
 * uses, so the same expressions are accepted and rejected with Go's message ({@code error parsing regexp: missing
 * closing ]: `[a`}): no backreferences, lookaround, possessive or stacked quantifiers ({@code a**}), {@code \Z},
 * {@code \C} or unknown escapes, repeat counts over 1000. It is then written out as a Java pattern that means the
 * same thing, because the same text means different things in the two dialects: Go's {@code $} is Java's {@code \z}
 * (not "before a final newline"), Go's {@code .} excludes only {@code \n}, Go's {@code \s} has no {@code \v},
 * Go's {@code \b} and POSIX classes are ASCII, {@code [} and {@code &&} are plain characters in a Go class, Go's
 * {@code (?U)} swaps greediness where Java's means Unicode classes, and Go's {@code (?i)} is Unicode simple case
 * folding ({@code ß} matches {@code ẞ}, {@code i} does not match {@code ı}) where Java's differs. So every
 * literal is written as {@code \x{...}}, every flag is applied while translating (see {@link Re2Translator}), and
 * case folding is spelled out as classes of the characters that fold together: no Java flag or Java-only construct
 * is ever involved.
 *
 * <p>Matching is unanchored (Go's {@code re.Match}). Java's engine backtracks where RE2 does not, so a match is
 * given a budget of character reads ({@value #MATCH_BUDGET}) and a pathological pattern/input pair fails with
 * {@link MatchAbortedException} instead of hanging the caller.
 */
final class Re2Regex {

    /** The most characters one match may read before it is abandoned (a linear match reads a few per character). */
    static final long MATCH_BUDGET = 1_000_000;

    private final String expression;
    private final Pattern pattern;

    private Re2Regex(String expression, Pattern pattern) {
        this.expression = expression;
        this.pattern = pattern;
    }

    /** Parses a Go regular expression, failing exactly where Go's {@code regexp.Compile} does. */
    static Re2Regex compile(String expression) throws SyntaxException {
        requireNonNull(expression, "expression");
        String java = new Re2Translator(expression).translate();
        try {
            return new Re2Regex(expression, Pattern.compile(java));
        } catch (PatternSyntaxException e) {
            throw new SyntaxException("regexp/syntax: internal error", expression);
        }
    }

    /** The Go expression. */
    String expression() {
        return expression;
    }

    /** The equivalent Java pattern, for tests. */
    String javaPattern() {
        return pattern.pattern();
    }

    /** Whether the expression matches anywhere in the input, as Go's {@code Regexp.MatchString}. */
    boolean find(String input) throws MatchAbortedException {
        requireNonNull(input, "input");
        Matcher matcher = pattern.matcher(new BudgetedSequence(input));
        try {
            return matcher.find();
        } catch (BudgetExhausted e) {
            throw new MatchAbortedException("regular expression " + GoStrconv.quote(expression)
                    + " needed more than " + MATCH_BUDGET + " steps on a value of " + input.length()
                    + " characters");
        } catch (StackOverflowError e) {
            // Java's backtracking recurses per repetition of some groups; RE2 never would
            throw new MatchAbortedException("regular expression " + GoStrconv.quote(expression)
                    + " is too complex for a value of " + input.length() + " characters");
        }
    }

    /** A Go regexp syntax error, with Go's message: {@code error parsing regexp: CODE: `EXPR`}. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String code, String expr) {
            super("error parsing regexp: " + code + ": `" + expr + "`");
        }
    }

    /** A match abandoned because Java's engine would take too long (or too deep a stack) where RE2 would not. */
    static final class MatchAbortedException extends Exception {
        private static final long serialVersionUID = 1L;

        MatchAbortedException(String message) {
            super(message);
        }
    }

    private static final class BudgetExhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExhausted() {
            super(null, null, false, false);
        }
    }

    /** The input, counting reads so a runaway backtracking match can be stopped. */
    private static final class BudgetedSequence implements CharSequence {
        private final String text;
        private long remaining = MATCH_BUDGET;

        BudgetedSequence(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--remaining < 0) {
                throw new BudgetExhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

}
