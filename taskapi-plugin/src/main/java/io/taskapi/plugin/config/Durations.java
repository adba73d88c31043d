package io.taskapi.plugin.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations written the way Nomad's configuration writes them: {@code 250ms}, {@code 30s}, {@code 5m},
 * {@code 1h}.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private static final Pattern GO_PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    /**
     * Reads a Go duration of whole units, such as {@code 1h30m} or {@code 90s}, as Nomad's API takes them.
     *
     * @param text the value
     * @return the duration
     * @throws IllegalArgumentException when it is not one or more whole number and unit pairs
     */
    public static Duration parseGo(String text) {
        Matcher matcher = GO_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            total = total.plus(parse("duration", matcher.group()));
            end = matcher.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("not a duration: '" + text + "'");
        }
        return total;
    }

    /**
     * @param key the setting's name, for the error message
     * @param text the value
     * @return the duration
     * @throws IllegalArgumentException when the value is not a whole number followed by ms, s, m or h
     */
    public static Duration parse(String key, String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + " must be a duration such as 250ms, 30s, 5m or 1h, not '"
                    + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
