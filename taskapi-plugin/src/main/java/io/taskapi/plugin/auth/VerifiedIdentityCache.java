package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import io.taskapi.plugin.cache.ChangeGuard;
import io.taskapi.plugin.config.AuthConfig;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.Subscription;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers workload identities that passed full verification, so a task calling its socket again does not pay for
 * the signature check again.
 *
 * <ul>
 *   <li>Keyed by the SHA-256 of the token: the cache never holds a token.</li>
 *   <li>At most {@link AuthConfig#identityCacheSize()} entries; each lives until the earlier of the token's
 *       {@code exp} and {@link AuthConfig#identityCacheTtl()} after it was added, checked against the injected
 *       clock on every hit. Expiring at {@code exp} (not {@code exp} + leeway) means a cached answer is never more
 *       generous than a fresh verification.</li>
 *   <li>When an allocation ends ({@link AllocationRegistry#onAllocationEnded}) its entries are dropped at once. An
 *       identity verified while an allocation was ending is not added ({@link #generation()}), so a
 *       check-then-insert race cannot resurrect it.</li>
 * </ul>
 * A size or TTL of zero turns caching off.
 */
@Singleton
public final class VerifiedIdentityCache implements AutoCloseable {
    private final Clock clock;
    private final Duration ttl;
    private final boolean enabled;
    private final Cache<HashCode, Entry> entries;
    private final ChangeGuard changes = new ChangeGuard();
    private final Subscription subscription;

    /**
     * Subscribes to allocation ends; {@link #close()} unsubscribes.
     *
     * @param allocations tells when an allocation ends
     * @param config the cache's size and TTL
     * @param clock decides expiry
     */
    @Inject
    public VerifiedIdentityCache(AllocationRegistry allocations, AuthConfig config, Clock clock) {
        requireNonNull(allocations, "allocations is null");
        requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ttl = config.identityCacheTtl();
        this.enabled = config.identityCacheSize() > 0 && !ttl.isZero() && !ttl.isNegative();
        this.entries = CacheBuilder.newBuilder()
                .maximumSize(Math.max(0, config.identityCacheSize()))
                // Guava's own expiry follows the injected clock too, so both agree on what has expired.
                .ticker(new ClockTicker(clock))
                .expireAfterWrite(ttl)
                .build();
        // Last: the listener may run on another thread as soon as this returns.
        this.subscription = allocations.onAllocationEnded(this::invalidateAllocation);
    }

    /**
     * @param token a credential
     * @return the identity it verified to, if that is remembered and still good now
     */
    public Optional<WorkloadIdentity> get(String token) {
        if (!enabled) {
            return Optional.empty();
        }
        HashCode key = keyOf(token);
        Entry entry = entries.getIfPresent(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.asMap().remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.identity());
    }

    /**
     * Read this before checking an allocation's liveness, and pass it to {@link #put}.
     *
     * @return a counter that moves whenever an allocation ends
     */
    public long generation() {
        return changes.mark();
    }

    /**
     * Remembers a fully verified identity, unless some allocation ended since {@code generation} was read.
     *
     * @param token the credential that verified
     * @param identity what it verified to
     * @param generation {@link #generation()} as read before the liveness check
     */
    public void put(String token, WorkloadIdentity identity, long generation) {
        requireNonNull(identity, "identity is null");
        if (!enabled) {
            return;
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        if (identity.expiresAt().isPresent() && identity.expiresAt().get().isBefore(expiresAt)) {
            expiresAt = identity.expiresAt().get();
        }
        if (!now.isBefore(expiresAt)) {
            return;
        }
        HashCode key = keyOf(token);
        Entry entry = new Entry(identity, expiresAt);
        changes.storeUnlessChanged(generation, () -> entries.put(key, entry));
    }

    /**
     * Drops everything remembered for an allocation.
     *
     * @param allocationId the allocation that ended
     */
    public void invalidateAllocation(String allocationId) {
        if (allocationId == null) {
            return;
        }
        changes.changed(() ->
                entries.asMap().values().removeIf(entry -> entry.identity().allocationId().equals(allocationId)));
    }

    /** @return how many identities are remembered (some may already be past their expiry) */
    public long size() {
        return entries.size();
    }

    /** Stops listening for allocation ends and forgets everything. */
    @Override
    public void close() {
        subscription.close();
        entries.invalidateAll();
    }

    private static HashCode keyOf(String token) {
        requireNonNull(token, "token is null");
        return Hashing.sha256().hashString(token, StandardCharsets.UTF_8);
    }

    private record Entry(WorkloadIdentity identity, Instant expiresAt) {}

    /** Nanoseconds since the epoch, from the clock (fits a long until the year 2262). */
    private static final class ClockTicker extends Ticker {
        private final Clock clock;

        ClockTicker(Clock clock) {
            this.clock = clock;
        }

        @Override
        public long read() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }
}
