package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Durations as Nomad writes them, which is Go's {@code time.Duration} syntax: job files ({@code delay = "1m30s"}) are
 * read with Go's {@code time.ParseDuration}, and messages print durations with Go's {@code Duration.String()}
 * ({@code 30m0s}). Both directions follow Go so that values and messages read exactly as Nomad's do.
 */
public final class GoDuration {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // micro sign, as Go prints it
            "\u03bcs", 1_000L, // Greek mu, which Go also accepts
            "ms", 1_000_000L,
            "s", NANOS_PER_SECOND,
            "m", 60 * NANOS_PER_SECOND,
            "h", 3600 * NANOS_PER_SECOND);
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /**
     * Reads a duration the way Go's {@code time.ParseDuration} does: an optional sign, then one or more decimal
     * numbers each with a unit ({@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), such
     * as {@code 15s}, {@code 1m30s}, {@code 1.5h} or {@code -2m}; a bare {@code 0} is zero. Fractions finer than a
     * nanosecond are dropped; like Go, the total must fit in 64-bit nanoseconds (about 292 years).
     *
     * @param text the duration
     * @return it
     * @throws IllegalArgumentException when it is not a Go duration, with a message that quotes it
     */
    public static Duration parse(String text) {
        requireNonNull(text, "text is null");
        String rest = text;
        boolean negative = false;
        if (!rest.isEmpty() && (rest.charAt(0) == '-' || rest.charAt(0) == '+')) {
            negative = rest.charAt(0) == '-';
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        if (rest.isEmpty()) {
            throw invalid(text, ": expected a number and a unit, such as 15s, 1m30s or 2h");
        }
        BigInteger total = BigInteger.ZERO;
        int i = 0;
        while (i < rest.length()) {
            int numberStart = i;
            int digitsBefore = countDigits(rest, i);
            i += digitsBefore;
            int digitsAfter = 0;
            if (i < rest.length() && rest.charAt(i) == '.') {
                i++;
                digitsAfter = countDigits(rest, i);
                i += digitsAfter;
            }
            if (digitsBefore == 0 && digitsAfter == 0) {
                throw invalid(text, ": expected a number and a unit, such as 15s, 1m30s or 2h");
            }
            BigDecimal number = new BigDecimal(rest.substring(numberStart, i).replaceFirst("\\.$", ""));
            int unitStart = i;
            while (i < rest.length() && rest.charAt(i) != '.' && !isDigit(rest.charAt(i))) {
                i++;
            }
            String unit = rest.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw invalid(text, ": missing unit (ns, us, ms, s, m or h)");
            }
            Long nanosPerUnit = UNITS.get(unit);
            if (nanosPerUnit == null) {
                throw invalid(text, ": unknown unit \"" + unit + "\" (ns, us, ms, s, m or h)");
            }
            total = total.add(number.multiply(BigDecimal.valueOf(nanosPerUnit))
                    .setScale(0, RoundingMode.DOWN).toBigIntegerExact());
            if (total.compareTo(MAX_NANOS) > 0) {
                throw invalid(text, ": too long");
            }
        }
        Duration duration = Duration.ofNanos(total.longValueExact());
        return negative ? duration.negated() : duration;
    }

    /**
     * Writes a duration as Go's {@code Duration.String()} does: {@code 0s}, {@code 500ms}, {@code 1.5s},
     * {@code 15s}, {@code 1m30s}, {@code 30m0s}, {@code 24h0m0s}.
     *
     * @param duration any duration
     * @return it in Go's form
     */
    public static String format(Duration duration) {
        requireNonNull(duration, "duration is null");
        if (duration.isZero()) {
            return "0s";
        }
        Duration magnitude = duration.abs();
        long seconds = magnitude.getSeconds();
        int nanos = magnitude.getNano();
        StringBuilder out = new StringBuilder(duration.isNegative() ? "-" : "");
        if (seconds == 0) {
            // Under a second Go picks the largest unit that keeps an integer part: ns, µs or ms.
            if (nanos < 1_000) {
                out.append(nanos).append("ns");
            } else if (nanos < 1_000_000) {
                out.append(nanos / 1_000).append(fraction(nanos % 1_000, 3)).append("\u00b5s");
            } else {
                out.append(nanos / 1_000_000).append(fraction(nanos % 1_000_000, 6)).append("ms");
            }
            return out.toString();
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(seconds % 60).append(fraction(nanos, 9)).append('s').toString();
    }

    /** {@code .5} for 500 of 3 digits; empty when zero (Go trims trailing zeros, and the dot with them). */
    private static String fraction(long value, int digits) {
        if (value == 0) {
            return "";
        }
        String padded = String.format("%0" + digits + "d", value);
        return "." + padded.replaceFirst("0+$", "");
    }

    private static int countDigits(String text, int from) {
        int i = from;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i - from;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid duration \"" + text + "\"" + why);
    }
}
