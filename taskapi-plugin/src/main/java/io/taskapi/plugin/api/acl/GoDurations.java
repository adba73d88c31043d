package io.taskapi.plugin.api.acl;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.config.Durations;
import java.time.Duration;
import java.util.Optional;

/** Durations as Nomad's API writes them ({@code "1h0m0s"}) and reads them (a Go duration string, or nanoseconds). */
final class GoDurations {
    private GoDurations() {}

    /**
     * @param value a JSON string such as {@code "1h30m"} or {@code "1h0m0s"}, or a number of nanoseconds
     * @return the duration; empty when it is neither
     */
    static Optional<Duration> read(JsonNode value) {
        if (value.isIntegralNumber()) {
            return Optional.of(Duration.ofNanos(value.asLong()));
        }
        if (!value.isTextual()) {
            return Optional.empty();
        }
        String text = value.asText();
        boolean negative = text.startsWith("-");
        String magnitude = negative ? text.substring(1) : text;
        if (magnitude.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        try {
            // Go writes whole units in sequence, zeros included ("1h0m0s"); Durations reads each pair.
            Duration parsed = Durations.parseGo(magnitude.replaceAll("(?<=[hm])0[ms](?=\\d|$)", ""));
            return Optional.of(negative ? parsed.negated() : parsed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * @param duration a duration
     * @return it as Go's {@code time.Duration.String} writes it, to the millisecond: {@code 1h0m0s}, {@code 90s} as
     *     {@code 1m30s}, {@code 0s}, {@code 500ms}
     */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        boolean negative = duration.isNegative();
        Duration d = duration.abs();
        String sign = negative ? "-" : "";
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return sign + d.toMillis() + "ms";
        }
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        int millis = d.toMillisPart();
        String secondsText = millis == 0 ? Long.toString(seconds)
                : seconds + "." + String.format("%03d", millis).replaceAll("0+$", "");
        if (hours > 0) {
            return sign + hours + "h" + minutes + "m" + secondsText + "s";
        }
        if (minutes > 0) {
            return sign + minutes + "m" + secondsText + "s";
        }
        return sign + secondsText + "s";
    }
}
