package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long evaluating a filter may take, from when this deadline is made: one request's budget, shared by every record
 * the request filters. Regular expressions run in linear time, but bexpr's {@code any}/{@code all} do not (nested
 * ones over a large map multiply, and a match costs up to the program's size per character), so evaluation reads the
 * clock every {@value #STEPS_PER_CHECK} steps, and a regular expression every {@value #WORK_PER_CHECK} instructions
 * times characters it may run, and stops with a {@link FilterTimeoutException} once the time is up. It never starts a
 * thread. Not thread-safe: one per request.
 */
public final class FilterDeadline {

    /** The time an evaluation may take unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    /** Evaluation steps (an expression node, a collection or slice element) between clock reads. */
    static final int STEPS_PER_CHECK = 256;
    /**
     * A regular expression's work between clock reads: characters read times its program size (RE2/J's NFA may run
     * every instruction for each character), about 10 to 40 ms.
     */
    static final int WORK_PER_CHECK = 1 << 20;

    private final Duration timeout;
    private final LongSupplier nanoClock;
    private final long expiresAt;
    private int steps;

    FilterDeadline(Duration timeout, LongSupplier nanoClock) {
        requireNonNull(timeout, "timeout");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("filter timeout must be positive, not " + timeout);
        }
        this.timeout = timeout;
        this.expiresAt = nanoClock.getAsLong() + timeout.toNanos();
    }

    /**
     * A deadline {@code timeout} from now, on {@link System#nanoTime}.
     *
     * @param timeout how long evaluation may take; positive
     * @return the deadline
     */
    public static FilterDeadline after(Duration timeout) {
        return new FilterDeadline(timeout, System::nanoTime);
    }

    /** The time evaluation was given. */
    public Duration timeout() {
        return timeout;
    }

    /** Counts one evaluation step, reading the clock every {@value #STEPS_PER_CHECK}. */
    void step() throws FilterTimeoutException {
        if (++steps >= STEPS_PER_CHECK) {
            steps = 0;
            check();
        }
    }

    /** Fails if the time is up. */
    void check() throws FilterTimeoutException {
        if (nanoClock.getAsLong() - expiresAt >= 0) {
            throw new FilterTimeoutException(timeout);
        }
    }

    /**
     * The text as a regular expression of {@code programSize} instructions reads it, stopped by {@link Expired} once
     * the time is up.
     */
    CharSequence watch(String text, int programSize) {
        return new Watched(text, Math.max(1, WORK_PER_CHECK / Math.max(1, programSize)));
    }

    /** Thrown out of a regular expression match (through {@code charAt}) when the time is up. */
    static final class Expired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Expired() {
            super("filter deadline passed", null, false, false);
        }
    }

    private final class Watched implements CharSequence {
        private final String text;
        private final int readsPerCheck;
        private int reads;

        Watched(String text, int readsPerCheck) {
            this.text = text;
            this.readsPerCheck = readsPerCheck;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++reads >= readsPerCheck) {
                reads = 0;
                if (nanoClock.getAsLong() - expiresAt >= 0) {
                    throw new Expired();
                }
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
