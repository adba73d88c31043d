package io.taskapi.benchmarks.load;

import static java.util.Objects.requireNonNull;

/**
 * A log-linear histogram of non-negative values (nanoseconds here), HDR style: values below 256 are counted exactly;
 * above that, every power of two is split into 128 equal buckets, so a reported value is at most 1/128 (0.8%) above
 * the recorded one. Fixed size (about 57 KB), no allocation when recording.
 *
 * <p>Not thread-safe: each load thread records into its own and {@link #add} merges them at the end.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BITS; // 128 buckets per power of two
    private static final int EXACT = 2 * SUB_BUCKETS; // values below 256 are their own bucket
    private static final int EXACT_BITS = SUB_BITS + 1;
    private static final int BUCKETS = EXACT + (Long.SIZE - 1 - EXACT_BITS) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sum;
    private long max;

    /**
     * @param value a value, 0 or more
     * @throws IllegalArgumentException when it is negative
     */
    public void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value: " + value);
        }
        counts[index(value)]++;
        total++;
        sum += value;
        max = Math.max(max, value);
    }

    /**
     * Adds another histogram's counts to this one.
     *
     * @param other the histogram to add
     */
    public void add(LatencyHistogram other) {
        requireNonNull(other, "other is null");
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    /** @return how many values were recorded */
    public long count() {
        return total;
    }

    /** @return the largest value recorded, exactly (0 when empty) */
    public long max() {
        return max;
    }

    /** @return the mean of the recorded values, exactly (0 when empty) */
    public double mean() {
        return total == 0 ? 0 : (double) sum / total;
    }

    /**
     * The smallest bucket bound below or at which at least {@code percent} of the values lie (nearest rank), capped
     * at the exact maximum.
     *
     * @param percent 0 to 100
     * @return that value, at most 1/128 above the recorded one; 0 when empty
     */
    public long percentile(double percent) {
        if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
            throw new IllegalArgumentException("percent must be within 0..100: " + percent);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestInBucket(i), max);
            }
        }
        return max;
    }

    static int index(long value) {
        if (value < EXACT) {
            return (int) value;
        }
        int exponent = Long.SIZE - 1 - Long.numberOfLeadingZeros(value); // 8 or more
        int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return EXACT + (exponent - EXACT_BITS) * SUB_BUCKETS + sub;
    }

    static long highestInBucket(int index) {
        if (index < EXACT) {
            return index;
        }
        int exponent = (index - EXACT) / SUB_BUCKETS + EXACT_BITS;
        int sub = (index - EXACT) % SUB_BUCKETS;
        long width = 1L << (exponent - SUB_BITS);
        long lowest = (1L << exponent) + sub * width;
        return lowest + (width - 1);
    }
}
