package io.taskapi.examples.jobspec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            15s              | PT15S
            1m30s            | PT1M30S
            30m              | PT30M
            24h              | PT24H
            2h45m            | PT2H45M
            1.5h             | PT1H30M
            .5s              | PT0.5S
            1.s              | PT1S
            300ms            | PT0.3S
            1us              | PT0.000001S
            1\u00b5s         | PT0.000001S
            1\u03bcs         | PT0.000001S
            7ns              | PT0.000000007S
            1.0000000009s    | PT1S
            1h1h             | PT2H
            0                | PT0S
            -0               | PT0S
            0s               | PT0S
            +3s              | PT3S
            -2m              | PT-2M
            2562047h47m16.854775807s | PT2562047H47M16.854775807S
            """)
    void readsWhatGoReads(String text, String expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "15", "s", "-", "+", ".", ".s", "1d", "1.2.3s", "abc", "1s2", "15 s", " 15s", "1S",
                            "2562047h47m16.854775808s", "99999999999999999999h"})
    void refusesWhatGoRefuses(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid duration \"" + text + "\"");
    }

    @Test
    void namesTheUnitItDoesNotKnow() {
        assertThatThrownBy(() -> GoDuration.parse("3d")).hasMessage("invalid duration \"3d\": unknown unit \"d\" "
                + "(ns, us, ms, s, m or h)");
        assertThatThrownBy(() -> GoDuration.parse("3")).hasMessage("invalid duration \"3\": missing unit "
                + "(ns, us, ms, s, m or h)");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            PT0S                   | 0s
            PT15S                  | 15s
            PT1M30S                | 1m30s
            PT30M                  | 30m0s
            PT24H                  | 24h0m0s
            PT1H0.5S               | 1h0m0.5s
            PT29M44.999S           | 29m44.999s
            PT1.5S                 | 1.5s
            PT0.5S                 | 500ms
            PT0.0015S              | 1.5ms
            PT0.000001S            | 1\u00b5s
            PT0.0000012S           | 1.2\u00b5s
            PT0.000000001S         | 1ns
            -PT1M30S               | -1m30s
            PT-0.25S               | -250ms
            """)
    void writesWhatGoWrites(String duration, String expected) {
        assertThat(GoDuration.format(Duration.parse(duration))).isEqualTo(expected);
        assertThat(GoDuration.parse(expected)).isEqualTo(Duration.parse(duration));
    }
}
