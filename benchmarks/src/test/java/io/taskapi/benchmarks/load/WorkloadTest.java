package io.taskapi.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    @Test
    void encodesTheRequestWithHostAndLength() {
        Workload post = new Workload("p", "POST", "/v1/x", List.of("X-Nomad-Token: t"),
                "{}".getBytes(StandardCharsets.US_ASCII), 1);
        assertThat(new String(post.encode(), StandardCharsets.US_ASCII)).isEqualTo(
                "POST /v1/x HTTP/1.1\r\nX-Nomad-Token: t\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}");
        Workload get = new Workload("g", "GET", "/", List.of("host: h"), new byte[0], 1);
        assertThat(new String(get.encode(), StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\nhost: h\r\n\r\n");
        assertThat(post.toString()).doesNotContain("X-Nomad-Token");
        assertThatThrownBy(() -> new Workload("b", "GET", "/", List.of("no colon"), new byte[0], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesDurations() {
        assertThat(LoadOptions.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadOptions.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(LoadOptions.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> LoadOptions.parseDuration("5")).isInstanceOf(IllegalArgumentException.class);
    }
}
