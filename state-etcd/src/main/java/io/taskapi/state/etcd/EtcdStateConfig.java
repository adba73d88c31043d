package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How an agent reaches its etcd cluster and how long it may trust what it cached.
 *
 * @param endpoints the members' client URLs ({@code http://host:2379}); at least one
 * @param keyPrefix where this deployment's keys live, such as {@code /taskapi}; the layout's version is appended
 *     ({@code /taskapi/v1/...}), so several deployments can share a cluster under different prefixes
 * @param stalenessBound how long reads keep answering from the cache after the agent last knew it was up to date;
 *     past it, reads throw {@code StateUnavailableException} (the caller answers 503)
 * @param requestTimeout how long one etcd request may take before it fails with {@code StateUnavailableException}
 * @param heartbeatInterval how often the agent checks that etcd is reachable and its watches are current
 * @param tls how to verify the members and, optionally, the certificate this agent presents (https endpoints)
 * @param credentials etcd's user and password for this agent, when etcd's authentication is on
 */
public record EtcdStateConfig(List<URI> endpoints, String keyPrefix, Duration stalenessBound, Duration requestTimeout,
                              Duration heartbeatInterval, Optional<Tls> tls, Optional<Credentials> credentials) {
    /**
     * TLS to the members.
     *
     * @param caCert the PEM file of the CA that signed the members' certificates
     * @param clientCert this agent's certificate (PEM), for members that require client certificates
     * @param clientKey its private key (PEM, PKCS#8)
     */
    public record Tls(Path caCert, Optional<Path> clientCert, Optional<Path> clientKey) {
        /**
         * Checks that a certificate comes with its key.
         *
         * @param caCert see the record component of that name
         * @param clientCert see the record component of that name
         * @param clientKey see the record component of that name
         */
        public Tls {
            requireNonNull(caCert, "caCert is null");
            requireNonNull(clientCert, "clientCert is null");
            requireNonNull(clientKey, "clientKey is null");
            if (clientCert.isPresent() != clientKey.isPresent()) {
                throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
            }
        }
    }

    /**
     * An etcd user. {@link #toString()} never shows the password.
     *
     * @param user the user name
     * @param password its password
     */
    public record Credentials(String user, String password) {
        /**
         * Checks that nothing is missing.
         *
         * @param user see the record component of that name
         * @param password see the record component of that name
         */
        public Credentials {
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=<redacted>]";
        }
    }

    /** The default staleness bound: a disconnected agent stops authenticating within this. */
    public static final Duration DEFAULT_STALENESS_BOUND = Duration.ofSeconds(10);
    /** The default request timeout. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    /**
     * Checks the settings.
     *
     * @param endpoints see the record component of that name
     * @param keyPrefix see the record component of that name
     * @param stalenessBound see the record component of that name
     * @param requestTimeout see the record component of that name
     * @param heartbeatInterval see the record component of that name
     * @param tls see the record component of that name
     * @param credentials see the record component of that name
     */
    public EtcdStateConfig {
        requireNonNull(tls, "tls is null");
        requireNonNull(credentials, "credentials is null");
        endpoints = List.copyOf(requireNonNull(endpoints, "endpoints is null"));
        requireNonNull(keyPrefix, "keyPrefix is null");
        requireNonNull(stalenessBound, "stalenessBound is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint");
        }
        if (!keyPrefix.startsWith("/") || keyPrefix.endsWith("/") || keyPrefix.contains("//")) {
            throw new IllegalArgumentException("the key prefix must start with / and not end with /: " + keyPrefix);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || stalenessBound.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the staleness bound (" + stalenessBound
                    + ") must be at least twice the heartbeat interval (" + heartbeatInterval + ")");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive");
        }
    }

    /**
     * @param endpoints the members' client URLs
     * @param keyPrefix where the keys live
     * @return a configuration with the default bound, timeout and heartbeat
     */
    public static EtcdStateConfig of(List<URI> endpoints, String keyPrefix) {
        return new EtcdStateConfig(endpoints, keyPrefix, DEFAULT_STALENESS_BOUND, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_HEARTBEAT_INTERVAL, Optional.empty(), Optional.empty());
    }

    /**
     * @param bound the staleness bound
     * @param timeout the request timeout
     * @param heartbeat the heartbeat interval
     * @return this configuration with those timings
     */
    public EtcdStateConfig withTimings(Duration bound, Duration timeout, Duration heartbeat) {
        return new EtcdStateConfig(endpoints, keyPrefix, bound, timeout, heartbeat, tls, credentials);
    }

    /**
     * @param settings TLS to the members
     * @return this configuration with it
     */
    public EtcdStateConfig withTls(Tls settings) {
        return new EtcdStateConfig(endpoints, keyPrefix, stalenessBound, requestTimeout, heartbeatInterval,
                Optional.of(settings), credentials);
    }

    /**
     * @param user an etcd user
     * @return this configuration with it
     */
    public EtcdStateConfig withCredentials(Credentials user) {
        return new EtcdStateConfig(endpoints, keyPrefix, stalenessBound, requestTimeout, heartbeatInterval, tls,
                Optional.of(user));
    }
}
