package io.taskapi.plugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code filter.evaluation-timeout}: how long one request's filter may run. */
class FilterTimeoutSettingTest {

    @Test
    void defaultsToOneSecondAndReadsADuration() {
        assertThat(TaskApiConfig.defaults().http().filterTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(TaskApiConfig.fromMap(Map.of(TaskApiConfig.FILTER_TIMEOUT, "250ms")).http().filterTimeout())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void refusesNoTimeAndTimesThatWouldLetAFilterHoldAThread() {
        for (String bad : new String[] {"0ms", "2m", "1h"}) {
            assertThatThrownBy(() -> TaskApiConfig.fromMap(Map.of(TaskApiConfig.FILTER_TIMEOUT, bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("filter.evaluation-timeout must be between 1ms and 1m");
        }
        assertThatThrownBy(() -> TaskApiConfig.fromMap(Map.of(TaskApiConfig.FILTER_TIMEOUT, "soon")))
                .hasMessageStartingWith("filter.evaluation-timeout must be a duration");
    }
}
