package io.taskapi.spi.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DriverHealthTest {
    @Test
    void theThreeStatesAndAttributes() {
        assertThat(DriverHealth.healthy("Healthy")).extracting(DriverHealth::detected, DriverHealth::healthy)
                .containsExactly(true, true);
        assertThat(DriverHealth.unhealthy("engine down")).extracting(DriverHealth::detected, DriverHealth::healthy)
                .containsExactly(true, false);
        assertThat(DriverHealth.undetected("no engine")).extracting(DriverHealth::detected, DriverHealth::healthy)
                .containsExactly(false, false);
        DriverHealth withVersion = DriverHealth.healthy("Healthy").withAttributes(Map.of("driver.docker.version",
                "20.10"));
        assertThat(withVersion.attributes()).containsExactly(Map.entry("driver.docker.version", "20.10"));
        assertThat(withVersion).isEqualTo(DriverHealth.healthy("Healthy").withAttributes(Map.of(
                "driver.docker.version", "20.10"))).isNotEqualTo(DriverHealth.healthy("Healthy"));
    }

    @Test
    void aDriverIsHealthyAndTakesNoConfigurationByDefault() throws TaskDriverException {
        TaskDriver driver = new TaskDriver() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public FilesystemIsolation isolation() {
                return FilesystemIsolation.NONE;
            }

            @Override
            public RunningTask start(TaskLaunch launch) {
                throw new UnsupportedOperationException();
            }
        };

        assertThat(driver.fingerprint()).isEqualTo(DriverHealth.healthy("Healthy"));
        driver.configure(Map.of());
        assertThatThrownBy(() -> driver.configure(Map.of("b", 1, "a", 2))).isInstanceOf(TaskDriverException.class)
                .hasMessage("driver plain takes no configuration, but got [a, b]");
    }
}
