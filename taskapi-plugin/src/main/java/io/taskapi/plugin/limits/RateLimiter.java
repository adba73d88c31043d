package io.taskapi.plugin.limits;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.socket.TaskSocket;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * A token bucket per task socket, so one noisy or hostile task cannot starve the others or brute-force credentials:
 * {@code socket.rate-limit} requests a second on average, bursts up to {@code socket.rate-burst}. Checked before
 * authentication. Buckets are held weakly and vanish with their socket.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Cache<TaskSocket, Bucket> buckets = CacheBuilder.newBuilder().weakKeys().build();

    /** @param config the rate and burst */
    @Inject
    public RateLimiter(TaskApiConfig config) {
        this(config.socketRateLimit(), config.socketRateBurst(), System::nanoTime);
    }

    RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /**
     * Takes one request's worth from the socket's bucket.
     *
     * @param socket the task socket the request came through
     * @return empty when the request may go on; otherwise how long until it could
     */
    public Optional<Duration> acquire(TaskSocket socket) {
        if (perSecond <= 0) {
            return Optional.empty(); // rate limiting switched off
        }
        Bucket bucket;
        try {
            bucket = buckets.get(socket, () -> new Bucket(burst, nanoTime.getAsLong()));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return bucket.take(perSecond, burst, nanoTime.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        synchronized Optional<Duration> take(double perSecond, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - updatedNanos) / 1e9 * perSecond);
            updatedNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9)));
        }
    }
}
