package io.taskapi.plugin.limits;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.taskapi.plugin.config.SocketConfig;
import io.taskapi.plugin.socket.TaskSocket;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Token buckets per task socket, so one noisy or hostile task cannot starve the others or brute-force credentials.
 * Two kinds, so that callers who cannot authenticate never spend the budget of those who can:
 * <ul>
 *   <li>authenticated requests: {@code socket.rate-limit} a second on average, bursts up to
 *       {@code socket.rate-burst}, per socket;</li>
 *   <li>failed authentication (no credential, or a refused one): {@code socket.unauthenticated-rate-limit} a second,
 *       bursts up to {@code socket.unauthenticated-rate-burst}, per socket and peer uid, so that a stranger on a
 *       world-accessible socket cannot use up the task's own allowance either.</li>
 * </ul>
 * Buckets are held weakly and vanish with their socket. A rate of 0 switches that kind off.
 */
public final class RateLimiter {
    private final Limit authenticated;
    private final Limit unauthenticated;
    private final LongSupplier nanoTime;
    private final Cache<TaskSocket, SocketBuckets> buckets = CacheBuilder.newBuilder().weakKeys().build();

    /** @param config the rates and bursts */
    @Inject
    public RateLimiter(SocketConfig config) {
        this(new Limit(config.socketRateLimit(), config.socketRateBurst()),
                new Limit(config.socketUnauthenticatedRateLimit(), config.socketUnauthenticatedRateBurst()),
                System::nanoTime);
    }

    RateLimiter(Limit authenticated, Limit unauthenticated, LongSupplier nanoTime) {
        this.authenticated = requireNonNull(authenticated, "authenticated is null");
        this.unauthenticated = requireNonNull(unauthenticated, "unauthenticated is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /**
     * Takes one authenticated request's worth from the socket's bucket.
     *
     * @param socket the task socket the request came through
     * @return empty when the request may go on; otherwise how long until it could
     */
    public Optional<Duration> acquire(TaskSocket socket) {
        if (authenticated.off()) {
            return Optional.empty();
        }
        return socketBuckets(socket).authenticated.take(authenticated, nanoTime.getAsLong());
    }

    /**
     * Takes one failed authentication's worth from the bucket of the socket and peer.
     *
     * @param socket the task socket the request came through
     * @param peerUid the connecting process's uid
     * @return empty when there was room; otherwise how long until there is
     */
    public Optional<Duration> acquireUnauthenticated(TaskSocket socket, int peerUid) {
        if (unauthenticated.off()) {
            return Optional.empty();
        }
        return unauthenticatedBucket(socket, peerUid).take(unauthenticated, nanoTime.getAsLong());
    }

    /**
     * Gives back what {@link #acquireUnauthenticated} took for a credential that then verified: it was paid for in
     * advance, so that verifications never outnumber the budget, and was no failure.
     *
     * @param socket the task socket the request came through
     * @param peerUid the connecting process's uid
     */
    public void refundUnauthenticated(TaskSocket socket, int peerUid) {
        if (!unauthenticated.off()) {
            unauthenticatedBucket(socket, peerUid).refund(unauthenticated);
        }
    }

    private Bucket unauthenticatedBucket(TaskSocket socket, int peerUid) {
        return socketBuckets(socket).unauthenticated.computeIfAbsent(peerUid,
                uid -> new Bucket(unauthenticated.burst(), nanoTime.getAsLong()));
    }

    private SocketBuckets socketBuckets(TaskSocket socket) {
        try {
            return buckets.get(socket, () -> new SocketBuckets(new Bucket(authenticated.burst(),
                    nanoTime.getAsLong())));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * @param perSecond the average rate; 0 for no limit
     * @param burst the most taken at once
     */
    record Limit(double perSecond, double burst) {
        boolean off() {
            return perSecond <= 0;
        }
    }

    // Peer uids are few (a socket with a task user admits one or two); the map is bounded by the uids on the host.
    private record SocketBuckets(Bucket authenticated, Map<Integer, Bucket> unauthenticated) {
        SocketBuckets(Bucket authenticated) {
            this(authenticated, new ConcurrentHashMap<>());
        }
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        synchronized Optional<Duration> take(Limit limit, long now) {
            Optional<Duration> wait = peek(limit, now);
            if (wait.isEmpty()) {
                tokens -= 1;
            }
            return wait;
        }

        synchronized void refund(Limit limit) {
            tokens = Math.min(limit.burst(), tokens + 1);
        }

        synchronized Optional<Duration> peek(Limit limit, long now) {
            tokens = Math.min(limit.burst(), tokens + (now - updatedNanos) / 1e9 * limit.perSecond());
            updatedNanos = now;
            if (tokens >= 1) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / limit.perSecond() * 1e9)));
        }
    }
}
