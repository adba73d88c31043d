package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

/**
 * A compiled filter that cannot be evaluated against a record, where go-bexpr fails too: a selector that leads
 * nowhere (a missing top-level field, a key under a value that is not a map, an index out of range), an operator the
 * value's type does not support ({@code Meta == "x"}, {@code Status is nil}, {@code 5 matches "x"}), or a value that
 * does not convert to the field's type ({@code CreateIndex == "abc"}). The message is bexpr's, e.g. {@code error
 * finding value in datum: /Foo at part 0: couldn't find key "Foo"}; Nomad answers such a filter with 400. One that
 * ran out of time is a {@link FilterTimeoutException}.
 */
public sealed class FilterEvaluationException extends Exception permits FilterTimeoutException {

    private static final long serialVersionUID = 1L;

    FilterEvaluationException(String message) {
        super(requireNonNull(message, "message"));
    }
}
