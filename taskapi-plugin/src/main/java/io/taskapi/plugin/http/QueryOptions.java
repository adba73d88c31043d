package io.taskapi.plugin.http;

import io.taskapi.plugin.config.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Nomad's query options, read as its agent reads them ({@code command/agent/http.go} {@code parseWait},
 * {@code parseConsistency}, {@code parseRegion}): {@code ?index=} and {@code ?wait=} for a blocking query,
 * {@code ?stale} and {@code ?consistent} (accepted, and the same thing on this single node), {@code ?region=}.
 *
 * @param minIndex the index the caller has seen; a blocking query answers once the state's index is above it
 * @param maxWait how long a blocking query may wait, jitter included
 */
record QueryOptions(OptionalLong minIndex, Duration maxWait) {
    /** Nomad's {@code structs.DefaultBlockingRPCQueryTime}. */
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    /** Nomad's {@code structs.MaxBlockingRPCQueryTime}. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    /** Nomad adds up to wait/16 so that many watchers woken together do not come back together. */
    private static final int JITTER_FRACTION = 16;

    /**
     * @param request the request's query
     * @param region the agent's region
     * @return the options
     * @throws ApiException 400 for a malformed index or wait, or both ?stale and ?consistent; 500 "No path to
     *     region" for a region that is not the agent's (Nomad's answer when it has no server in it)
     */
    static QueryOptions of(ApiRequest request, String region) throws ApiException {
        Optional<String> asked = request.query("region").filter(value -> !value.isEmpty());
        if (asked.isPresent() && !asked.get().equals(region)) {
            throw new ApiException(500, "No path to region");
        }
        if (request.query("stale").isPresent() && request.query("consistent").isPresent()) {
            throw new ApiException(400, "Cannot specify ?stale with ?consistent, conflicting semantics.");
        }
        OptionalLong minIndex = OptionalLong.empty();
        Optional<String> index = request.query("index").filter(value -> !value.isEmpty());
        if (index.isPresent()) {
            try {
                minIndex = OptionalLong.of(Long.parseUnsignedLong(index.get()));
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Invalid index");
            }
        }
        Duration wait = DEFAULT_WAIT;
        Optional<String> waitText = request.query("wait").filter(value -> !value.isEmpty());
        if (waitText.isPresent()) {
            try {
                wait = Durations.parseGo(waitText.get());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "Invalid wait time");
            }
        }
        if (wait.isZero()) {
            wait = DEFAULT_WAIT;
        } else if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        return new QueryOptions(minIndex, wait.plus(jitter(wait)));
    }

    /** @return whether the caller asked to block: an index above 0, as Nomad (0 runs the query once) */
    boolean blocking() {
        return minIndex.isPresent() && minIndex.getAsLong() > 0;
    }

    private static Duration jitter(Duration wait) {
        long bound = wait.toMillis() / JITTER_FRACTION;
        return bound <= 0 ? Duration.ZERO : Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound));
    }
}
