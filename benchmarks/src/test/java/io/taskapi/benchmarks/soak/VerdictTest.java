package io.taskapi.benchmarks.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
    private static final long MB = 1024;

    @Test
    void passesAFlatFootprintAndAllowsDrops() {
        Verdict verdict = Verdict.of(List.of(
                new ProcessSample(60, 250 * MB, 50, 70, 14 * MB),
                new ProcessSample(120, 270 * MB, 53, 75, 15 * MB),
                new ProcessSample(180, 200 * MB, 40, 60, 13 * MB)), Map.of(), List.of());
        assertThat(verdict.failures()).isEmpty();
        assertThat(verdict.report()).contains("soak: PASSED").contains("| 120 | 270.0 | 15.0 | 53 | 75 |");
    }

    @Test
    void failsGrowthBeyondTheTolerances() {
        Verdict verdict = Verdict.of(List.of(
                new ProcessSample(60, 250 * MB, 50, 70, 14 * MB),
                new ProcessSample(120, 300 * MB, 55, 79, 30 * MB)), Map.of(), List.of());
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.failures()).hasSize(4)
                .anyMatch(f -> f.startsWith("RSS kB not flat"))
                .anyMatch(f -> f.startsWith("live heap kB not flat"))
                .anyMatch(f -> f.startsWith("threads not flat"))
                .anyMatch(f -> f.startsWith("fds not flat"));
    }

    @Test
    void needsTwoSamplesAndAHeapFigure() {
        assertThat(Verdict.of(List.of(new ProcessSample(60, 1, 1, 1, 1)), Map.of(), List.of()).passed()).isFalse();
        assertThat(Verdict.of(List.of(new ProcessSample(60, 1, 1, 1, -1), new ProcessSample(120, 1, 1, 1, -1)),
                Map.of(), List.of()).failures()).singleElement().asString().contains("no heap figure");
    }
}
