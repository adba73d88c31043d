package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * A number, exactly as written: never converted through a double, and an integer literal stays distinct from a decimal
 * one ({@code 3} vs {@code 3.0} or {@code 3e0}).
 *
 * @param value the value
 * @param integral whether it was written as an integer (no fraction, no exponent)
 * @param position where it starts (at the sign, if negative)
 */
public record HclNumber(BigDecimal value, boolean integral, HclPosition position) implements HclValue {
    /** Checks for nulls. */
    public HclNumber {
        requireNonNull(value, "value is null");
        requireNonNull(position, "position is null");
    }

    /**
     * @return the value as a long
     * @throws ArithmeticException when it was not written as an integer or does not fit in a long
     */
    public long longValueExact() {
        if (!integral) {
            throw new ArithmeticException(value + " is not an integer literal");
        }
        return value.longValueExact();
    }

    @Override
    public String typeName() {
        return "number";
    }
}
