package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A compiled list filter: Nomad's {@code ?filter=} expression, in HashiCorp's go-bexpr language, evaluated against
 * JSON records such as {@code {"ID":…, "Status":"ready", "Meta":{"example":"Hello World!"}, …}}.
 *
 * <p>The language is bexpr's, to the letter: {@code ==}, {@code !=}, {@code in}, {@code not in}, {@code contains},
 * {@code not contains}, {@code matches}, {@code not matches} (Go RE2 syntax), {@code is empty}, {@code is not empty},
 * {@code is nil}, {@code is not nil}, {@code and}, {@code or}, {@code not}, parentheses, and
 * {@code any}/{@code all SELECTOR as NAME { ... }}; selectors dotted ({@code Meta.example}), indexed
 * ({@code Meta["os.name"]}) or JSON pointers ({@code "/Meta/example"}); values bare ({@code ready}, {@code 5},
 * {@code true}), double-quoted with Go escapes or backquoted raw. There are no ordering operators ({@code <},
 * {@code >}): bexpr has none, so they are syntax errors here too. A missing map key makes {@code ==} false and
 * {@code !=} true and so on; a missing top-level field, a type mismatch or an unsupported operator is an evaluation
 * error, as in bexpr.
 *
 * <p>{@link #compile} parses once and also compiles every regular expression, so a bad one is reported before any
 * record is read. The result is immutable and thread-safe. Expressions longer than {@value #MAX_LENGTH} characters or
 * nesting deeper than 64 levels are rejected. An empty expression is a syntax error, as in bexpr: callers that treat
 * an empty {@code ?filter=} as "no filter", like Nomad, must skip it themselves.
 *
 * <p>Regular expressions match in time linear in the value (RE2/J). Evaluation as a whole is bounded by a
 * {@link FilterDeadline}, because nested {@code any}/{@code all} over large maps multiply, in bexpr too.
 */
public final class Filter {

    /** The longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 4096;

    private final String expression;
    private final Expr ast;

    private Filter(String expression, Expr ast) {
        this.expression = expression;
        this.ast = ast;
    }

    /**
     * Compiles an expression.
     *
     * @throws FilterException if it is not valid bexpr, holds an invalid regular expression, or is over the limits;
     *     the message is bexpr's, with the position ({@code 1:12 (11): ...})
     */
    public static Filter compile(String expression) throws FilterException {
        requireNonNull(expression, "expression");
        if (expression.length() > MAX_LENGTH) {
            SourcePosition at = SourcePosition.of(expression, MAX_LENGTH);
            throw new FilterException(at + ": expression is " + expression.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed", at);
        }
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            // a lone surrogate is what invalid UTF-8 becomes in a Java string; pigeon rejects that input
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < expression.length()
                    && Character.isLowSurrogate(expression.charAt(i + 1)))) {
                SourcePosition at = SourcePosition.of(expression, i);
                throw new FilterException(at + ": invalid encoding", at);
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        Expr parsed = Parser.parse(expression);
        return new Filter(expression, compileRegexes(parsed, expression));
    }

    /**
     * Whether a record passes the filter, given {@link FilterDeadline#DEFAULT_TIMEOUT} from now.
     *
     * @throws FilterEvaluationException where bexpr fails to evaluate: a selector that leads nowhere, an operator the
     *     value's type does not support, a value that does not convert to the field's type; the message is bexpr's.
     *     A {@link FilterTimeoutException} if the time runs out.
     */
    public boolean matches(JsonNode record) throws FilterEvaluationException {
        return matches(record, FilterDeadline.after(FilterDeadline.DEFAULT_TIMEOUT));
    }

    /**
     * Whether a record passes the filter before the deadline, which may be shared by all the records of one request.
     *
     * @throws FilterEvaluationException as {@link #matches(JsonNode)}; a {@link FilterTimeoutException} if the
     *     deadline passes first
     */
    public boolean matches(JsonNode record, FilterDeadline deadline) throws FilterEvaluationException {
        requireNonNull(record, "record");
        requireNonNull(deadline, "deadline");
        return Evaluator.evaluate(ast, record, deadline);
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** The parsed form, for tests. */
    Expr ast() {
        return ast;
    }

    @Override
    public String toString() {
        return "Filter[" + expression + "]";
    }

    /**
     * Compiles each regular expression once. As in bexpr, one Go does not compile is an error only when a value is
     * tested against it (so a filter whose bad expression is never reached still answers); one that is too large for
     * this filter's shared budget of program size (compiling costs time in proportion to it) is reported here, at its
     * position.
     */
    private static Expr compileRegexes(Expr expr, String source) throws FilterException {
        return new RegexCompiler(source).compile(expr);
    }

    private static final class RegexCompiler {
        private final String source;
        private long sizeLeft = Re2Regex.MAX_PROGRAM_SIZE;

        RegexCompiler(String source) {
            this.source = source;
        }

        Expr compile(Expr expr) throws FilterException {
            if (expr instanceof Expr.Or or) {
                return new Expr.Or(compileAll(or.operands()));
            }
            if (expr instanceof Expr.And and) {
                return new Expr.And(compileAll(and.operands()));
            }
            if (expr instanceof Expr.Not not) {
                return new Expr.Not(compile(not.operand()));
            }
            if (expr instanceof Expr.Collection c) {
                return new Expr.Collection(c.all(), c.selector(), c.binding(), compile(c.inner()));
            }
            Expr.Match match = (Expr.Match) expr;
            if (match.operator() != MatchOperator.MATCHES && match.operator() != MatchOperator.NOT_MATCHES) {
                return match;
            }
            Expr.MatchValue value = match.value().orElseThrow();
            try {
                Re2Regex regex = Re2Regex.compile(value.raw(), sizeLeft);
                sizeLeft -= regex.programSize();
                return new Expr.Match(match.selector(), match.operator(), Optional.of(value.withRegex(regex)));
            } catch (Re2Regex.SyntaxException e) {
                if (!e.tooLarge()) {
                    return match; // left uncompiled: the evaluator reports it if a value reaches it
                }
                SourcePosition at = SourcePosition.of(source, value.index());
                throw new FilterException(at + ": failed to compile regular expression "
                        + GoStrconv.quote(value.raw()) + ": " + e.getMessage(), at);
            }
        }

        private List<Expr> compileAll(List<Expr> exprs) throws FilterException {
            List<Expr> result = new ArrayList<>(exprs.size());
            for (Expr e : exprs) {
                result.add(compile(e));
            }
            return result;
        }
    }
}
