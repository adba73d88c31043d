package io.taskapi.plugin.config;

import static io.taskapi.plugin.config.TaskApiConfig.HTTP_MAX_THREADS;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_ALLOW_ROOT_PEER;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_LINK_DIR;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_MAX_CONNECTIONS;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_MAX_IN_FLIGHT;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_OWNERSHIP_FALLBACK;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_RATE_BURST;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_RATE_LIMIT;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_UNAUTHENTICATED_RATE_BURST;
import static io.taskapi.plugin.config.TaskApiConfig.SOCKET_UNAUTHENTICATED_RATE_LIMIT;
import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.config.TaskApiConfig.OwnershipFallback;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The task sockets: where they are placed, who owns them, and what each may use ({@code socket.*}).
 *
 * @param socketLinkDir a short directory only the agent can use, for the links that let long secrets paths bind
 * @param ownershipFallback what to do when a task user is set but the socket cannot be given to it
 * @param allowRootPeer whether a root client may call a socket that belongs to a task user
 * @param socketMaxConnections open connections allowed per task socket (429 beyond)
 * @param socketRateLimit requests a second allowed per task socket on average (0: no limit)
 * @param socketRateBurst requests allowed in a burst per task socket
 * @param socketMaxInFlight requests of one task socket that may run on the worker pool at once (the rest wait their
 *     turn): one task can use at most this share of the workers
 * @param socketUnauthenticatedRateLimit requests a second, per task socket and peer uid, that fail authentication
 *     (no credential or a refused one) before they are answered 429 without being verified
 * @param socketUnauthenticatedRateBurst the burst of those
 */
public record SocketConfig(Path socketLinkDir, OwnershipFallback ownershipFallback, boolean allowRootPeer,
                           int socketMaxConnections, int socketRateLimit, int socketRateBurst,
                           int socketMaxInFlight, int socketUnauthenticatedRateLimit,
                           int socketUnauthenticatedRateBurst) {
    /**
     * Checks that nothing is missing.
     *
     * @param socketLinkDir see the record component of that name
     * @param ownershipFallback see the record component of that name
     * @param allowRootPeer see the record component of that name
     * @param socketMaxConnections see the record component of that name
     * @param socketRateLimit see the record component of that name
     * @param socketRateBurst see the record component of that name
     * @param socketMaxInFlight see the record component of that name
     * @param socketUnauthenticatedRateLimit see the record component of that name
     * @param socketUnauthenticatedRateBurst see the record component of that name
     */
    public SocketConfig {
        requireNonNull(socketLinkDir, "socketLinkDir is null");
        requireNonNull(ownershipFallback, "ownershipFallback is null");
    }

    static SocketConfig read(Settings settings, HttpConfig http) {
        Path linkDir = Path.of(defaultLinkDir());
        try {
            linkDir = Path.of(settings.string(SOCKET_LINK_DIR, defaultLinkDir()));
        } catch (InvalidPathException e) {
            settings.problem(SOCKET_LINK_DIR, SOCKET_LINK_DIR + " is not a path: " + e.getMessage());
        }
        SocketConfig config = new SocketConfig(
                linkDir,
                settings.choice(SOCKET_OWNERSHIP_FALLBACK, Map.of("fail-closed", OwnershipFallback.FAIL_CLOSED,
                        "world-accessible", OwnershipFallback.WORLD_ACCESSIBLE), OwnershipFallback.FAIL_CLOSED,
                        "fail-closed or world-accessible"),
                settings.bool(SOCKET_ALLOW_ROOT_PEER, false),
                settings.integer(SOCKET_MAX_CONNECTIONS, 64),
                settings.integer(SOCKET_RATE_LIMIT, 100),
                settings.integer(SOCKET_RATE_BURST, 200),
                settings.integer(SOCKET_MAX_IN_FLIGHT, 4),
                settings.integer(SOCKET_UNAUTHENTICATED_RATE_LIMIT, 10),
                settings.integer(SOCKET_UNAUTHENTICATED_RATE_BURST, 20));
        settings.check(SOCKET_LINK_DIR, linkDir.isAbsolute(), SOCKET_LINK_DIR + " must be an absolute path");
        settings.check(SOCKET_LINK_DIR, linkDir.toString().length() <= 64,
                SOCKET_LINK_DIR + " must be at most 64 characters long");
        settings.check(SOCKET_MAX_CONNECTIONS, config.socketMaxConnections >= 1,
                SOCKET_MAX_CONNECTIONS + " must be at least 1");
        settings.check(SOCKET_RATE_LIMIT, config.socketRateLimit >= 0, SOCKET_RATE_LIMIT + " must not be negative");
        settings.check(SOCKET_RATE_BURST, config.socketRateBurst >= 1, SOCKET_RATE_BURST + " must be at least 1");
        if (!settings.hasProblem(HTTP_MAX_THREADS)) {
            settings.check(SOCKET_MAX_IN_FLIGHT,
                    config.socketMaxInFlight >= 1 && config.socketMaxInFlight <= http.maxThreads(),
                    SOCKET_MAX_IN_FLIGHT + " must be between 1 and " + HTTP_MAX_THREADS);
        }
        settings.check(SOCKET_UNAUTHENTICATED_RATE_LIMIT, config.socketUnauthenticatedRateLimit >= 0,
                SOCKET_UNAUTHENTICATED_RATE_LIMIT + " must not be negative");
        settings.check(SOCKET_UNAUTHENTICATED_RATE_BURST, config.socketUnauthenticatedRateBurst >= 1,
                SOCKET_UNAUTHENTICATED_RATE_BURST + " must be at least 1");
        return config;
    }

    /** {@code /run/taskapi/links} for a root agent; a per-user directory under the temp directory otherwise. */
    private static String defaultLinkDir() {
        String user = System.getProperty("user.name", "agent");
        if ("root".equals(user)) {
            return "/run/taskapi/links";
        }
        return "/tmp/taskapi-links-" + user.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
