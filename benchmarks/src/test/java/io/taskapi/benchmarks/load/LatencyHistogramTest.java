package io.taskapi.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void countsSmallValuesExactly() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 0; v < 256; v++) {
            h.record(v);
        }
        assertThat(h.count()).isEqualTo(256);
        assertThat(h.percentile(0)).isZero();
        assertThat(h.percentile(50)).isEqualTo(127);
        assertThat(h.percentile(100)).isEqualTo(255);
        assertThat(h.max()).isEqualTo(255);
        assertThat(h.mean()).isEqualTo(127.5);
    }

    @Test
    void reportsLargeValuesAtMostOneBucketHigh() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long value = (random.nextLong() >>> 1) >>> random.nextInt(63);
            int index = LatencyHistogram.index(value);
            long reported = LatencyHistogram.highestInBucket(index);
            assertThat(reported).isGreaterThanOrEqualTo(value);
            assertThat((double) (reported - value)).isLessThanOrEqualTo(value / 128.0);
            assertThat(LatencyHistogram.index(reported)).isEqualTo(index);
        }
        assertThat(LatencyHistogram.highestInBucket(LatencyHistogram.index(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void percentilesUseTheNearestRank() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1_000); // 1 µs to 100 ms
        }
        assertThat(h.percentile(50)).isBetween(50_000_000L, 50_000_000L + 50_000_000L / 128);
        assertThat(h.percentile(99)).isBetween(99_000_000L, 99_000_000L + 99_000_000L / 128);
        assertThat(h.percentile(100)).isEqualTo(100_000_000L); // capped at the exact maximum
        assertThat(h.max()).isEqualTo(100_000_000L);
    }

    @Test
    void mergesAndHandlesEmpty() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        assertThat(a.percentile(99)).isZero();
        assertThat(a.mean()).isZero();
        a.record(10);
        b.record(1_000_000);
        b.record(20);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.percentile(50)).isEqualTo(20);
        assertThat(a.max()).isEqualTo(1_000_000);
        assertThatThrownBy(() -> a.record(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
