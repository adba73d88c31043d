package io.taskapi.plugin.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * The plugin's settings, read from the plain string map an agent passes in, one record per concern. Unknown keys and
 * bad values are errors, all reported at once: a typo must never silently weaken security. Every key and its default
 * is listed in docs/operations.md.
 *
 * @param socket the task sockets: placement, ownership, per-socket limits
 * @param auth how credentials are verified
 * @param acl whether policies decide
 * @param state where the embedded store lives
 * @param http the server: threads, listeners, request limits
 * @param agent what the hosting agent says about itself
 */
public record TaskApiConfig(SocketConfig socket, AuthConfig auth, AclConfig acl, StateConfig state, HttpConfig http,
                            AgentConfig agent) {

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
    public static final String OPERATOR_TLS_CERT_FILE = "http.operator-tls-cert-file";
    public static final String OPERATOR_TLS_KEY_FILE = "http.operator-tls-key-file";
    public static final String OPERATOR_TLS_VERIFY_CLIENT = "http.operator-tls-verify-client";
    public static final String OPERATOR_TLS_CA_FILE = "http.operator-tls-ca-file";
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
    public static final String AGENT_REGION = "agent.region";

    /** The longest leeway accepted: beyond this an expired token is simply not expired. */
    public static final Duration MAX_CLOCK_LEEWAY = Duration.ofMinutes(5);

    /**
     * Checks that nothing is missing.
     *
     * @param socket see the record component of that name
     * @param auth see the record component of that name
     * @param acl see the record component of that name
     * @param state see the record component of that name
     * @param http see the record component of that name
     * @param agent see the record component of that name
     */
    public TaskApiConfig {
        requireNonNull(socket, "socket is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(acl, "acl is null");
        requireNonNull(state, "state is null");
        requireNonNull(http, "http is null");
        requireNonNull(agent, "agent is null");
    }

    /** @return the defaults, as {@link #fromMap} gives for an empty map */
    public static TaskApiConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Reads the settings.
     *
     * @param values the agent's string settings
     * @return the configuration
     * @throws IllegalArgumentException naming every key with a bad value and every unknown key, all at once
     */
    public static TaskApiConfig fromMap(Map<String, String> values) {
        Settings settings = new Settings(values);
        AuthConfig auth = AuthConfig.read(settings);
        HttpConfig http = HttpConfig.read(settings, auth);
        SocketConfig socket = SocketConfig.read(settings, http);
        AclConfig acl = AclConfig.read(settings);
        StateConfig state = StateConfig.read(settings);
        AgentConfig agent = AgentConfig.read(settings);
        settings.finish();
        return new TaskApiConfig(socket, auth, acl, state, http, agent);
    }
}
