package io.taskapi.plugin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.metrics.ApiMetrics.RequestKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request counters' labels stay within fixed sets whatever method a caller sends. */
final class TestApiMetrics {
    private final ApiMetrics metrics = new ApiMetrics();

    @Test
    void knownMethodsAreCountedUnderTheirOwnName() {
        for (String method : ApiMetrics.KNOWN_METHODS) {
            metrics.requestServed("/v1/agent/health", method, 200, 1_000);
        }

        assertThat(metrics.snapshot(0).requests().keySet()).extracting(RequestKey::method)
                .containsExactlyInAnyOrderElementsOf(ApiMetrics.KNOWN_METHODS);
    }

    @Test
    void anyOtherMethodIsCountedAsOther() {
        metrics.requestServed("-", "BREW", 405, 1_000);
        metrics.requestServed("-", "get", 405, 1_000);
        metrics.requestServed("-", "X".repeat(5_000), 405, 1_000);

        Map<RequestKey, Long> requests = metrics.snapshot(0).requests();
        assertThat(requests).containsExactly(Map.entry(new RequestKey("-", ApiMetrics.OTHER_METHOD, 405), 3L));
    }
}
