package io.taskapi.plugin.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The plugin's settings, read from the plain string map an agent passes in. Unknown keys and bad values are errors:
 * a typo must never silently weaken security. Every key and its default is listed in docs/operations.md.
 *
 * @param socketLinkDir a short directory only the agent can use, for the links that let long secrets paths bind
 * @param ownershipFallback what to do when a task user is set but the socket cannot be given to it
 * @param allowRootPeer whether a root client may call a socket that belongs to a task user
 * @param audience the audience a workload identity must name
 * @param clockLeeway how far clocks may disagree when checking exp, nbf and iat
 * @param maxTokenLength the longest credential accepted, in characters
 * @param requireExpiry whether a workload identity must carry exp (Nomad's default identity has none)
 * @param identityCacheSize how many verified workload identities are remembered
 * @param identityCacheTtl the longest a verified workload identity is remembered
 * @param minThreads the I/O threads kept warm (the I/O pool holds the selectors; at most 16)
 * @param maxThreads the worker pool that runs requests that may block
 * @param dataDir where the embedded store keeps what the agent does not store itself, if anywhere
 * @param aclEnabled whether policies decide what an authenticated identity may do (when off, any authenticated
 *     identity may do everything; authentication is still required on task sockets)
 * @param operatorAddress the operator listener's host:port (plain HTTP, for a dev agent or behind a TLS proxy), if any
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 * @param maxHeaderBytes the largest request head accepted (431 beyond)
 * @param idleTimeout how long an idle connection stays open
 * @param socketMaxConnections open connections allowed per task socket (429 beyond)
 * @param socketRateLimit requests a second allowed per task socket on average (0: no limit)
 * @param socketRateBurst requests allowed in a burst per task socket
 * @param socketMaxInFlight requests of one task socket that may run on the worker pool at once (the rest wait their
 *     turn): one task can use at most this share of the workers
 * @param socketUnauthenticatedRateLimit requests a second, per task socket and peer uid, that fail authentication
 *     (no credential or a refused one) before they are answered 429 without being verified
 * @param socketUnauthenticatedRateBurst the burst of those
 * @param operatorMaxConnections open connections allowed on the operator listener (closed at once beyond)
 * @param operatorMaxInFlight operator listener requests that may run on the worker pool at once
 * @param requestHeadTimeout how long a request head may take to arrive, from its first byte (the connection is
 *     closed beyond; a trickle of bytes does not extend it)
 * @param requestBodyTimeout how long a request body may take to arrive, in total (408 beyond)
 * @param minBodyRate the slowest a request body may arrive, in bytes a second, after its first second (408 below)
 * @param filterTimeout how long evaluating one request's {@code ?filter=} may take (400 beyond)
 */
public record TaskApiConfig(Path socketLinkDir, OwnershipFallback ownershipFallback, boolean allowRootPeer,
                            String audience, Duration clockLeeway, int maxTokenLength, boolean requireExpiry,
                            int identityCacheSize, Duration identityCacheTtl, int minThreads, int maxThreads,
                            Optional<Path> dataDir, boolean aclEnabled, Optional<HostAndPort> operatorAddress,
                            int maxBodyBytes, int maxHeaderBytes, Duration idleTimeout, int socketMaxConnections,
                            int socketRateLimit, int socketRateBurst, int socketMaxInFlight,
                            int socketUnauthenticatedRateLimit, int socketUnauthenticatedRateBurst,
                            int operatorMaxConnections, int operatorMaxInFlight, Duration requestHeadTimeout,
                            Duration requestBodyTimeout, int minBodyRate, Duration filterTimeout) {

    /** When a socket cannot be given to its task user. */
    public enum OwnershipFallback {
        /** Refuse to open the socket; the driver gets a {@code SocketUnavailableException}. The default. */
        FAIL_CLOSED,
        /** Nomad's behaviour: leave the socket usable by every local user (mode 0666). */
        WORLD_ACCESSIBLE
    }

    public static final String SOCKET_LINK_DIR = "socket.link-dir";
    public static final String SOCKET_OWNERSHIP_FALLBACK = "socket.ownership-fallback";
    public static final String SOCKET_ALLOW_ROOT_PEER = "socket.allow-root-peer";
    public static final String IDENTITY_AUDIENCE = "identity.audience";
    public static final String IDENTITY_CLOCK_LEEWAY = "identity.clock-leeway";
    public static final String IDENTITY_MAX_TOKEN_LENGTH = "identity.max-token-length";
    public static final String IDENTITY_REQUIRE_EXPIRY = "identity.require-expiry";
    public static final String IDENTITY_CACHE_SIZE = "identity.cache-size";
    public static final String IDENTITY_CACHE_TTL = "identity.cache-ttl";
    public static final String HTTP_MIN_THREADS = "http.min-threads";
    public static final String HTTP_MAX_THREADS = "http.max-threads";
    public static final String STATE_DATA_DIR = "state.data-dir";
    public static final String ACL_ENABLED = "acl.enabled";
    public static final String OPERATOR_ADDRESS = "http.operator-address";
    public static final String HTTP_MAX_BODY_BYTES = "http.max-body-bytes";
    public static final String HTTP_MAX_HEADER_BYTES = "http.max-header-bytes";
    public static final String HTTP_IDLE_TIMEOUT = "http.idle-timeout";
    public static final String SOCKET_MAX_CONNECTIONS = "socket.max-connections";
    public static final String SOCKET_RATE_LIMIT = "socket.rate-limit";
    public static final String SOCKET_RATE_BURST = "socket.rate-burst";
    public static final String SOCKET_MAX_IN_FLIGHT = "socket.max-in-flight";
    public static final String SOCKET_UNAUTHENTICATED_RATE_LIMIT = "socket.unauthenticated-rate-limit";
    public static final String SOCKET_UNAUTHENTICATED_RATE_BURST = "socket.unauthenticated-rate-burst";
    public static final String OPERATOR_MAX_CONNECTIONS = "http.operator-max-connections";
    public static final String OPERATOR_MAX_IN_FLIGHT = "http.operator-max-in-flight";
    public static final String HTTP_REQUEST_HEAD_TIMEOUT = "http.request-head-timeout";
    public static final String HTTP_REQUEST_BODY_TIMEOUT = "http.request-body-timeout";
    public static final String HTTP_MIN_BODY_RATE = "http.min-body-rate";
    public static final String FILTER_TIMEOUT = "filter.evaluation-timeout";

    private static final List<String> KEYS = List.of(SOCKET_LINK_DIR, SOCKET_OWNERSHIP_FALLBACK,
            SOCKET_ALLOW_ROOT_PEER, IDENTITY_AUDIENCE, IDENTITY_CLOCK_LEEWAY, IDENTITY_MAX_TOKEN_LENGTH,
            IDENTITY_REQUIRE_EXPIRY, IDENTITY_CACHE_SIZE, IDENTITY_CACHE_TTL, HTTP_MIN_THREADS, HTTP_MAX_THREADS,
            STATE_DATA_DIR, ACL_ENABLED, OPERATOR_ADDRESS, HTTP_MAX_BODY_BYTES, HTTP_MAX_HEADER_BYTES,
            HTTP_IDLE_TIMEOUT, SOCKET_MAX_CONNECTIONS, SOCKET_RATE_LIMIT, SOCKET_RATE_BURST, SOCKET_MAX_IN_FLIGHT,
            SOCKET_UNAUTHENTICATED_RATE_LIMIT, SOCKET_UNAUTHENTICATED_RATE_BURST, OPERATOR_MAX_CONNECTIONS,
            OPERATOR_MAX_IN_FLIGHT, HTTP_REQUEST_HEAD_TIMEOUT, HTTP_REQUEST_BODY_TIMEOUT, HTTP_MIN_BODY_RATE,
            FILTER_TIMEOUT);

    /** The longest leeway accepted: beyond this an expired token is simply not expired. */
    public static final Duration MAX_CLOCK_LEEWAY = Duration.ofMinutes(5);

    /** Checks the values. */
    public TaskApiConfig {
        requireNonNull(socketLinkDir, "socketLinkDir is null");
        requireNonNull(ownershipFallback, "ownershipFallback is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(clockLeeway, "clockLeeway is null");
        requireNonNull(identityCacheTtl, "identityCacheTtl is null");
        check(socketLinkDir.isAbsolute(), SOCKET_LINK_DIR + " must be an absolute path");
        check(socketLinkDir.toString().length() <= 64, SOCKET_LINK_DIR + " must be at most 64 characters long");
        check(!audience.isBlank(), IDENTITY_AUDIENCE + " must not be blank");
        check(!clockLeeway.isNegative() && clockLeeway.compareTo(MAX_CLOCK_LEEWAY) <= 0,
                IDENTITY_CLOCK_LEEWAY + " must be between 0s and 5m");
        check(maxTokenLength >= 256 && maxTokenLength <= 65536,
                IDENTITY_MAX_TOKEN_LENGTH + " must be between 256 and 65536");
        check(identityCacheSize >= 0, IDENTITY_CACHE_SIZE + " must not be negative");
        check(!identityCacheTtl.isNegative(), IDENTITY_CACHE_TTL + " must not be negative");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(operatorAddress, "operatorAddress is null");
        check(dataDir.map(Path::isAbsolute).orElse(true), STATE_DATA_DIR + " must be an absolute path");
        check(maxBodyBytes >= 1024 && maxBodyBytes <= 64 * 1024 * 1024,
                HTTP_MAX_BODY_BYTES + " must be between 1024 and 67108864");
        requireNonNull(idleTimeout, "idleTimeout is null");
        check(maxHeaderBytes >= maxTokenLength + 1024 && maxHeaderBytes <= 1024 * 1024,
                HTTP_MAX_HEADER_BYTES + " must leave room for the longest token (" + IDENTITY_MAX_TOKEN_LENGTH
                        + " + 1024) and be at most 1048576");
        check(!idleTimeout.isNegative() && !idleTimeout.isZero(), HTTP_IDLE_TIMEOUT + " must be positive");
        check(socketMaxConnections >= 1, SOCKET_MAX_CONNECTIONS + " must be at least 1");
        check(socketRateLimit >= 0, SOCKET_RATE_LIMIT + " must not be negative");
        check(socketRateBurst >= 1, SOCKET_RATE_BURST + " must be at least 1");
        requireNonNull(filterTimeout, "filterTimeout is null");
        check(filterTimeout.toMillis() >= 1 && filterTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
                FILTER_TIMEOUT + " must be between 1ms and 1m");
        check(minThreads >= 2 && maxThreads >= minThreads && maxThreads <= 1024,
                HTTP_MIN_THREADS + " must be at least 2 and " + HTTP_MAX_THREADS + " between it and 1024");
        check(socketMaxInFlight >= 1 && socketMaxInFlight <= maxThreads,
                SOCKET_MAX_IN_FLIGHT + " must be between 1 and " + HTTP_MAX_THREADS);
        check(socketUnauthenticatedRateLimit >= 0, SOCKET_UNAUTHENTICATED_RATE_LIMIT + " must not be negative");
        check(socketUnauthenticatedRateBurst >= 1, SOCKET_UNAUTHENTICATED_RATE_BURST + " must be at least 1");
        check(operatorMaxConnections >= 1, OPERATOR_MAX_CONNECTIONS + " must be at least 1");
        check(operatorMaxInFlight >= 1 && operatorMaxInFlight <= maxThreads,
                OPERATOR_MAX_IN_FLIGHT + " must be between 1 and " + HTTP_MAX_THREADS);
        requireNonNull(requestHeadTimeout, "requestHeadTimeout is null");
        requireNonNull(requestBodyTimeout, "requestBodyTimeout is null");
        check(requestHeadTimeout.toMillis() >= 100, HTTP_REQUEST_HEAD_TIMEOUT + " must be at least 100ms");
        check(requestBodyTimeout.toMillis() >= 100, HTTP_REQUEST_BODY_TIMEOUT + " must be at least 100ms");
        check(minBodyRate >= 0, HTTP_MIN_BODY_RATE + " must not be negative");
    }

    /** @return the defaults, as {@link #fromMap} gives for an empty map */
    public static TaskApiConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Reads the settings.
     *
     * @param settings the agent's string settings
     * @return the configuration
     * @throws IllegalArgumentException naming the key, for an unknown key or a bad value
     */
    public static TaskApiConfig fromMap(Map<String, String> settings) {
        Map<String, String> remaining = new HashMap<>(settings);
        remaining.keySet().removeAll(KEYS);
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("unknown Task API settings " + new TreeSet<>(remaining.keySet())
                    + "; known settings are " + KEYS);
        }
        Values values = new Values(settings);
        return new TaskApiConfig(
                Path.of(values.string(SOCKET_LINK_DIR, defaultLinkDir())),
                values.fallback(SOCKET_OWNERSHIP_FALLBACK),
                values.bool(SOCKET_ALLOW_ROOT_PEER, false),
                values.string(IDENTITY_AUDIENCE, "nomadproject.io"),
                values.duration(IDENTITY_CLOCK_LEEWAY, Duration.ofSeconds(60)),
                values.integer(IDENTITY_MAX_TOKEN_LENGTH, 8192),
                values.bool(IDENTITY_REQUIRE_EXPIRY, true),
                values.integer(IDENTITY_CACHE_SIZE, 10_000),
                values.duration(IDENTITY_CACHE_TTL, Duration.ofMinutes(5)),
                values.integer(HTTP_MIN_THREADS, 4),
                values.integer(HTTP_MAX_THREADS, 32),
                Optional.ofNullable(settings.get(STATE_DATA_DIR)).map(String::trim).map(Path::of),
                values.bool(ACL_ENABLED, true),
                Optional.ofNullable(settings.get(OPERATOR_ADDRESS)).map(String::trim)
                        .map(address -> HostAndPort.parse(OPERATOR_ADDRESS, address)),
                values.integer(HTTP_MAX_BODY_BYTES, 1024 * 1024),
                values.integer(HTTP_MAX_HEADER_BYTES, 2 * values.integer(IDENTITY_MAX_TOKEN_LENGTH, 8192)),
                values.duration(HTTP_IDLE_TIMEOUT, Duration.ofSeconds(30)),
                values.integer(SOCKET_MAX_CONNECTIONS, 64),
                values.integer(SOCKET_RATE_LIMIT, 100),
                values.integer(SOCKET_RATE_BURST, 200),
                values.integer(SOCKET_MAX_IN_FLIGHT, 4),
                values.integer(SOCKET_UNAUTHENTICATED_RATE_LIMIT, 10),
                values.integer(SOCKET_UNAUTHENTICATED_RATE_BURST, 20),
                values.integer(OPERATOR_MAX_CONNECTIONS, 256),
                values.integer(OPERATOR_MAX_IN_FLIGHT, 8),
                values.duration(HTTP_REQUEST_HEAD_TIMEOUT, Duration.ofSeconds(10)),
                values.duration(HTTP_REQUEST_BODY_TIMEOUT, Duration.ofSeconds(10)),
                values.integer(HTTP_MIN_BODY_RATE, 1024),
                values.duration(FILTER_TIMEOUT, Duration.ofSeconds(1)));
    }

    /** {@code /run/taskapi/links} for a root agent; a per-user directory under the temp directory otherwise. */
    private static String defaultLinkDir() {
        String user = System.getProperty("user.name", "agent");
        if ("root".equals(user)) {
            return "/run/taskapi/links";
        }
        return "/tmp/taskapi-links-" + user.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private record Values(Map<String, String> settings) {
        String string(String key, String fallback) {
            String value = settings.get(key);
            return value == null ? fallback : value.trim();
        }

        boolean bool(String key, boolean fallback) {
            String value = settings.get(key);
            if (value == null) {
                return fallback;
            }
            return switch (value.trim()) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
            };
        }

        int integer(String key, int fallback) {
            String value = settings.get(key);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'", e);
            }
        }

        Duration duration(String key, Duration fallback) {
            String value = settings.get(key);
            return value == null ? fallback : Durations.parse(key, value.trim());
        }

        OwnershipFallback fallback(String key) {
            String value = settings.get(key);
            if (value == null) {
                return OwnershipFallback.FAIL_CLOSED;
            }
            return switch (value.trim()) {
                case "fail-closed" -> OwnershipFallback.FAIL_CLOSED;
                case "world-accessible" -> OwnershipFallback.WORLD_ACCESSIBLE;
                default -> throw new IllegalArgumentException(
                        key + " must be fail-closed or world-accessible, not '" + value + "'");
            };
        }
    }
}
