package io.taskapi.bexpr;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A filter whose evaluation ran past its {@link FilterDeadline}: {@code filter evaluation exceeded 1s; simplify the
 * filter}. Not something go-bexpr reports (it has no deadline), so callers show this message as it is, with 400.
 */
public final class FilterTimeoutException extends FilterEvaluationException {

    private static final long serialVersionUID = 1L;

    FilterTimeoutException(Duration timeout) {
        super("filter evaluation exceeded " + goDuration(timeout) + "; simplify the filter");
    }

    /** Go's {@code time.Duration.String} to the millisecond, as operators write the setting: 1s, 250ms, 1m30s. */
    static String goDuration(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        String seconds = BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros().toPlainString() + "s";
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds;
        }
        return minutes > 0 ? minutes + "m" + seconds : seconds;
    }
}
