package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A parsed filter expression. Immutable, so one parse serves any number of threads. */
sealed interface Expr permits Expr.Or, Expr.And, Expr.Not, Expr.Match, Expr.Collection {

    /** A compact, unambiguous rendering for tests and debugging, e.g. {@code (or (== foo "3") (is-empty bar))}. */
    String describe();

    /** True when any operand is true, evaluated left to right, stopping at the first true. */
    record Or(List<Expr> operands) implements Expr {
        public Or {
            operands = List.copyOf(requireNonNull(operands, "operands"));
            if (operands.size() < 2) {
                throw new IllegalArgumentException("or needs two operands or more");
            }
        }

        @Override
        public String describe() {
            return "(or " + operands.stream().map(Expr::describe).collect(Collectors.joining(" ")) + ")";
        }
    }

    /** True when every operand is true, evaluated left to right, stopping at the first false. */
    record And(List<Expr> operands) implements Expr {
        public And {
            operands = List.copyOf(requireNonNull(operands, "operands"));
            if (operands.size() < 2) {
                throw new IllegalArgumentException("and needs two operands or more");
            }
        }

        @Override
        public String describe() {
            return "(and " + operands.stream().map(Expr::describe).collect(Collectors.joining(" ")) + ")";
        }
    }

    /** The negation of its operand (an error in the operand stays an error). */
    record Not(Expr operand) implements Expr {
        public Not {
            requireNonNull(operand, "operand");
        }

        @Override
        public String describe() {
            return "(not " + operand.describe() + ")";
        }
    }

    /**
     * One comparison: {@code selector operator value}, or {@code selector is empty} and the like with no value.
     *
     * @param selector the value compared
     * @param operator the comparison
     * @param value the other side, absent for the {@code is ...} operators
     */
    record Match(Selector selector, MatchOperator operator, Optional<MatchValue> value) implements Expr {
        public Match {
            requireNonNull(selector, "selector");
            requireNonNull(operator, "operator");
            requireNonNull(value, "value");
            if (value.isPresent() != operator.takesValue()) {
                throw new IllegalArgumentException(operator + " takes " + (operator.takesValue() ? "a" : "no")
                        + " value");
            }
        }

        @Override
        public String describe() {
            String op = operator.toString().replace(' ', '-');
            String sel = selector.describe();
            return value.map(v -> "(" + op + " " + sel + " " + GoStrconv.quote(v.raw()) + ")")
                    .orElseGet(() -> "(" + op + " " + sel + ")");
        }
    }

    /**
     * The text a comparison compares against, exactly as bexpr keeps it: a raw string, coerced to the type of the
     * selected value when evaluated (so {@code 5}, {@code "5"} and {@code `5`} are the same value).
     *
     * @param raw the text; an unquoted selector-like value is its dotted form ({@code a.b}), a JSON-pointer-like
     *     quoted value loses its leading "/" ({@code "/a/b"} is {@code a/b}), as in bexpr
     * @param index where the value starts in the expression (a Java char index), for messages
     * @param regex the compiled pattern, for {@code matches} and {@code not matches} once the filter is compiled
     */
    record MatchValue(String raw, int index, Optional<Re2Regex> regex) {
        public MatchValue {
            requireNonNull(raw, "raw");
            requireNonNull(regex, "regex");
        }

        MatchValue withRegex(Re2Regex compiled) {
            return new MatchValue(raw, index, Optional.of(compiled));
        }
    }

    /**
     * {@code any SELECTOR as BINDING { INNER }} or {@code all ...}: whether the inner expression holds for any (all)
     * elements of a list or entries of a map.
     *
     * @param all {@code all} rather than {@code any}
     * @param selector the list or map
     * @param binding the names the inner expression uses for each element
     * @param inner the expression evaluated per element
     */
    record Collection(boolean all, Selector selector, Binding binding, Expr inner) implements Expr {
        public Collection {
            requireNonNull(selector, "selector");
            requireNonNull(binding, "binding");
            requireNonNull(inner, "inner");
        }

        @Override
        public String describe() {
            return "(" + (all ? "all" : "any") + " " + selector.describe() + " " + binding
                    + " " + inner.describe() + ")";
        }
    }

    /**
     * How a collection expression names each element. For a list the index is the position and the value the
     * element; for a map the index is the key and the value the entry's value. A lone name ({@code as x}) is the
     * element of a list but the key of a map, as in bexpr.
     *
     * @param index the name of the index or key, or empty
     * @param value the name of the element or value, or empty
     * @param single the lone name of {@code as x}, or empty
     */
    record Binding(Optional<String> index, Optional<String> value, Optional<String> single) {
        public Binding {
            requireNonNull(index, "index");
            requireNonNull(value, "value");
            requireNonNull(single, "single");
        }

        @Override
        public String toString() {
            if (single.isPresent()) {
                return "as:" + single.get();
            }
            return "as:" + index.orElse("_") + "," + value.orElse("_");
        }
    }
}
