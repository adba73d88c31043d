package io.taskapi.bexpr;

/**
 * A comparison between a selected value and the expression's value. {@code contains} is {@link #IN} with its
 * operands swapped, exactly as in bexpr.
 */
enum MatchOperator {
    EQUAL("==", false),
    NOT_EQUAL("!=", true),
    IN("in", false),
    NOT_IN("not in", true),
    IS_EMPTY("is empty", true),
    IS_NOT_EMPTY("is not empty", false),
    MATCHES("matches", false),
    NOT_MATCHES("not matches", true),
    IS_NIL("is nil", true),
    IS_NOT_NIL("is not nil", false);

    private final String text;
    private final boolean whenMissing;

    MatchOperator(String text, boolean whenMissing) {
        this.text = text;
        this.whenMissing = whenMissing;
    }

    /**
     * The result when the selector names a key its map lacks: nothing equals, contains or matches a missing key, and a
     * missing key is empty and nil (bexpr's {@code NotPresentDisposition}).
     */
    boolean whenMissing() {
        return whenMissing;
    }

    /** Whether the operator takes a value ({@code is empty} and {@code is nil} and their negations do not). */
    boolean takesValue() {
        return this != IS_EMPTY && this != IS_NOT_EMPTY && this != IS_NIL && this != IS_NOT_NIL;
    }

    @Override
    public String toString() {
        return text;
    }
}
