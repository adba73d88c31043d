package io.taskapi.plugin.config;

import static io.taskapi.plugin.config.TaskApiConfig.FILTER_TIMEOUT;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_IDLE_TIMEOUT;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_MAX_BODY_BYTES;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_MAX_HEADER_BYTES;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_MAX_THREADS;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_MIN_BODY_RATE;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_MIN_THREADS;
import static io.taskapi.plugin.config.TaskApiConfig.AGENT_REGION;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_REQUEST_BODY_TIMEOUT;
import static io.taskapi.plugin.config.TaskApiConfig.HTTP_REQUEST_HEAD_TIMEOUT;
import static io.taskapi.plugin.config.TaskApiConfig.IDENTITY_MAX_TOKEN_LENGTH;
import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_ADDRESS;
import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_MAX_CONNECTIONS;
import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_MAX_IN_FLIGHT;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP server: threads, the operator listener, request limits ({@code http.*}, {@code filter.*}).
 *
 * @param minThreads the I/O threads kept warm (the I/O pool holds the selectors; at most 16)
 * @param maxThreads the worker pool that runs requests that may block
 * @param operatorAddress the operator listener's host:port, if any: HTTPS with {@code operatorTls}, plain HTTP without
 *     (for a dev agent or behind a TLS proxy)
 * @param operatorTls HTTPS on the operator listener, if configured
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 * @param maxHeaderBytes the largest request head accepted (431 beyond)
 * @param idleTimeout how long an idle connection stays open
 * @param operatorMaxConnections open connections allowed on the operator listener (closed at once beyond)
 * @param operatorMaxInFlight operator listener requests that may run on the worker pool at once
 * @param requestHeadTimeout how long a request head may take to arrive, from its first byte (the connection is
 *     closed beyond; a trickle of bytes does not extend it)
 * @param requestBodyTimeout how long a request body may take to arrive, in total (408 beyond)
 * @param minBodyRate the slowest a request body may arrive, in bytes a second, after its first second (408 below)
 * @param filterTimeout how long evaluating one request's {@code ?filter=} may take (400 beyond)
 * @param region the agent's region ({@code agent.region}): a query for another ({@code ?region=}) is Nomad's 500
 *     "No path to region"
 */
public record HttpConfig(int minThreads, int maxThreads, Optional<HostAndPort> operatorAddress,
                         Optional<OperatorTlsConfig> operatorTls, int maxBodyBytes,
                         int maxHeaderBytes, Duration idleTimeout, int operatorMaxConnections,
                         int operatorMaxInFlight, Duration requestHeadTimeout, Duration requestBodyTimeout,
                         int minBodyRate, Duration filterTimeout, String region) {
    /**
     * Checks that nothing is missing.
     *
     * @param minThreads see the record component of that name
     * @param maxThreads see the record component of that name
     * @param operatorAddress see the record component of that name
     * @param operatorTls see the record component of that name
     * @param maxBodyBytes see the record component of that name
     * @param maxHeaderBytes see the record component of that name
     * @param idleTimeout see the record component of that name
     * @param operatorMaxConnections see the record component of that name
     * @param operatorMaxInFlight see the record component of that name
     * @param requestHeadTimeout see the record component of that name
     * @param requestBodyTimeout see the record component of that name
     * @param minBodyRate see the record component of that name
     * @param filterTimeout see the record component of that name
     * @param region see the record component of that name
     */
    public HttpConfig {
        requireNonNull(operatorAddress, "operatorAddress is null");
        requireNonNull(operatorTls, "operatorTls is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(requestHeadTimeout, "requestHeadTimeout is null");
        requireNonNull(requestBodyTimeout, "requestBodyTimeout is null");
        requireNonNull(filterTimeout, "filterTimeout is null");
        requireNonNull(region, "region is null");
    }

    static HttpConfig read(Settings settings, AuthConfig auth) {
        Optional<HostAndPort> operatorAddress = Optional.empty();
        Optional<String> address = settings.optional(OPERATOR_ADDRESS);
        if (address.isPresent()) {
            try {
                operatorAddress = Optional.of(HostAndPort.parse(OPERATOR_ADDRESS, address.get()));
            } catch (IllegalArgumentException e) {
                settings.problem(OPERATOR_ADDRESS, e.getMessage());
            }
        }
        HttpConfig config = new HttpConfig(
                settings.integer(HTTP_MIN_THREADS, 4),
                settings.integer(HTTP_MAX_THREADS, 32),
                operatorAddress,
                OperatorTlsConfig.read(settings, address.isPresent()),
                settings.integer(HTTP_MAX_BODY_BYTES, 1024 * 1024),
                settings.integer(HTTP_MAX_HEADER_BYTES, 2 * auth.maxTokenLength()),
                settings.duration(HTTP_IDLE_TIMEOUT, Duration.ofSeconds(30)),
                settings.integer(OPERATOR_MAX_CONNECTIONS, 256),
                settings.integer(OPERATOR_MAX_IN_FLIGHT, 8),
                settings.duration(HTTP_REQUEST_HEAD_TIMEOUT, Duration.ofSeconds(10)),
                settings.duration(HTTP_REQUEST_BODY_TIMEOUT, Duration.ofSeconds(10)),
                settings.integer(HTTP_MIN_BODY_RATE, 1024),
                settings.duration(FILTER_TIMEOUT, Duration.ofSeconds(1)),
                settings.string(AGENT_REGION, "global"));
        config.check(settings, auth);
        return config;
    }

    private void check(Settings settings, AuthConfig auth) {
        settings.check(HTTP_MAX_BODY_BYTES, maxBodyBytes >= 1024 && maxBodyBytes <= 64 * 1024 * 1024,
                HTTP_MAX_BODY_BYTES + " must be between 1024 and 67108864");
        if (!settings.hasProblem(IDENTITY_MAX_TOKEN_LENGTH)) {
            settings.check(HTTP_MAX_HEADER_BYTES,
                    maxHeaderBytes >= auth.maxTokenLength() + 1024 && maxHeaderBytes <= 1024 * 1024,
                    HTTP_MAX_HEADER_BYTES + " must leave room for the longest token (" + IDENTITY_MAX_TOKEN_LENGTH
                            + " + 1024) and be at most 1048576");
        }
        settings.check(HTTP_IDLE_TIMEOUT, !idleTimeout.isNegative() && !idleTimeout.isZero(),
                HTTP_IDLE_TIMEOUT + " must be positive");
        settings.check(FILTER_TIMEOUT,
                filterTimeout.toMillis() >= 1 && filterTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
                FILTER_TIMEOUT + " must be between 1ms and 1m");
        if (!settings.hasProblem(HTTP_MAX_THREADS)) {
            settings.check(HTTP_MIN_THREADS, minThreads >= 2 && maxThreads >= minThreads && maxThreads <= 1024,
                    HTTP_MIN_THREADS + " must be at least 2 and " + HTTP_MAX_THREADS + " between it and 1024");
        }
        settings.check(OPERATOR_MAX_CONNECTIONS, operatorMaxConnections >= 1,
                OPERATOR_MAX_CONNECTIONS + " must be at least 1");
        if (!settings.hasProblem(HTTP_MAX_THREADS)) {
            settings.check(OPERATOR_MAX_IN_FLIGHT, operatorMaxInFlight >= 1 && operatorMaxInFlight <= maxThreads,
                    OPERATOR_MAX_IN_FLIGHT + " must be between 1 and " + HTTP_MAX_THREADS);
        }
        settings.check(HTTP_REQUEST_HEAD_TIMEOUT, requestHeadTimeout.toMillis() >= 100,
                HTTP_REQUEST_HEAD_TIMEOUT + " must be at least 100ms");
        settings.check(HTTP_REQUEST_BODY_TIMEOUT, requestBodyTimeout.toMillis() >= 100,
                HTTP_REQUEST_BODY_TIMEOUT + " must be at least 100ms");
        settings.check(HTTP_MIN_BODY_RATE, minBodyRate >= 0, HTTP_MIN_BODY_RATE + " must not be negative");
    }
}
