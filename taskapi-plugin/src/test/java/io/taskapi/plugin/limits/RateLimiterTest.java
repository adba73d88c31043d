package io.taskapi.plugin.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.socket.TaskSocket;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.SocketRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket's arithmetic, on a clock the test moves. */
final class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(new RateLimiter.Limit(2, 3),
            new RateLimiter.Limit(1, 2), now::get);

    @Test
    void aBurstPassesThenTheRateDecidesAndRetryAfterSaysWhen() {
        TaskSocket socket = socket();

        assertThat(limiter.acquire(socket)).isEmpty();
        assertThat(limiter.acquire(socket)).isEmpty();
        assertThat(limiter.acquire(socket)).isEmpty();
        assertThat(limiter.acquire(socket)).contains(Duration.ofMillis(500));

        now.addAndGet(250_000_000L);
        assertThat(limiter.acquire(socket)).contains(Duration.ofMillis(250));
        now.addAndGet(250_000_000L);
        assertThat(limiter.acquire(socket)).isEmpty();
    }

    @Test
    void theBucketRefillsNoHigherThanTheBurst() {
        TaskSocket socket = socket();
        now.addAndGet(Duration.ofHours(1).toNanos());

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(socket)).isEmpty();
        }
        assertThat(limiter.acquire(socket)).isPresent();
    }

    @Test
    void eachSocketHasItsOwnBucketAndZeroSwitchesLimitingOff() {
        TaskSocket noisy = socket();
        TaskSocket quiet = socket();
        for (int i = 0; i < 3; i++) {
            limiter.acquire(noisy);
        }

        assertThat(limiter.acquire(noisy)).isPresent();
        assertThat(limiter.acquire(quiet)).isEmpty();
        RateLimiter off = new RateLimiter(new RateLimiter.Limit(0, 1), new RateLimiter.Limit(0, 1), now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(off.acquire(noisy)).isEmpty();
        }
    }

    @Test
    void failedAuthenticationsSpendTheirOwnBucketPerPeerUidNeverTheTasks() {
        TaskSocket socket = socket();

        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isEmpty();
        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isEmpty();
        assertThat(limiter.acquireUnauthenticated(socket, 1000)).contains(Duration.ofSeconds(1));

        // Another uid on the same socket, and the socket's authenticated callers, are untouched.
        assertThat(limiter.acquireUnauthenticated(socket, 2000)).isEmpty();
        assertThat(limiter.acquire(socket)).isEmpty();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isEmpty();
    }

    @Test
    void aVerificationPaidForInAdvanceIsRefundedWhenItSucceedsNeverAboveTheBurst() {
        TaskSocket socket = socket();
        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isEmpty();
        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isEmpty();

        limiter.refundUnauthenticated(socket, 1000);
        limiter.refundUnauthenticated(socket, 1000);
        limiter.refundUnauthenticated(socket, 1000);

        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isEmpty();
        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isEmpty();
        assertThat(limiter.acquireUnauthenticated(socket, 1000)).isPresent();
    }

    private static TaskSocket socket() {
        SocketRequest request = SocketRequest.of(new TaskRef(UUID.randomUUID().toString(), "default", "job", "g",
                "t"), Path.of("/tmp/secrets"), SocketNeeds.of(FilesystemIsolation.NONE));
        return new TaskSocket(request, OptionalInt.empty(), Path.of("/tmp/secrets/api.sock"), Path.of("/tmp/l/1"));
    }
}
