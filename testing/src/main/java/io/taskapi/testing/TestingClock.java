package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, for expiry and caching tests. Thread-safe.
 *
 * <pre>{@code
 * TestingClock clock = new TestingClock(Instant.parse("2030-01-01T00:00:00Z"));
 * TestingIdentityIssuer issuer = TestingIdentityIssuer.create(clock);
 * clock.advance(Duration.ofHours(2));   // every token minted before now has expired
 * }</pre>
 */
public final class TestingClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** Starts at the current time, truncated to whole seconds as JWT times are. */
    public TestingClock() {
        this(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    /** @param start the instant the clock shows until moved */
    public TestingClock(Instant start) {
        this(new AtomicReference<>(requireNonNull(start, "start is null")), ZoneOffset.UTC);
    }

    private TestingClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * Moves the clock.
     *
     * @param amount how far; negative moves it back
     * @return the new time
     */
    public Instant advance(Duration amount) {
        requireNonNull(amount, "amount is null");
        return now.updateAndGet(current -> current.plus(amount));
    }

    /** @param instant the time the clock shows from now on */
    public void set(Instant instant) {
        now.set(requireNonNull(instant, "instant is null"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** @return a clock sharing this one's time (moving either moves both) in another zone */
    @Override
    public Clock withZone(ZoneId zone) {
        return new TestingClock(now, requireNonNull(zone, "zone is null"));
    }

    @Override
    public String toString() {
        return "TestingClock[" + now.get() + "]";
    }
}
