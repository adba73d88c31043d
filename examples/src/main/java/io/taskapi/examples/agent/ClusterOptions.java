package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.state.etcd.EtcdStateConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How an agent joins a cluster whose state lives in etcd ({@code -etcd-endpoints}, or {@code state { etcd { … } }}).
 *
 * @param etcd the etcd cluster, key prefix, timings, TLS and credentials
 * @param rootKeyFile the root key that wraps the cluster's keyrings ({@code -keyring-key-file}); made there when the
 *     file does not exist; without one, variables answer 503 sealed and identities are signed with this agent's own key
 * @param nodeTtl how long after this agent stops renewing its lease its node is down on every other agent
 */
public record ClusterOptions(EtcdStateConfig etcd, Optional<Path> rootKeyFile, Duration nodeTtl) {
    /** Where the keys live in etcd unless set. */
    public static final String DEFAULT_KEY_PREFIX = "/taskapi";

    /** Nomad's minimum heartbeat TTL. */
    public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(10);

    /**
     * @param etcd see the record component of that name
     * @param rootKeyFile see the record component of that name
     * @param nodeTtl see the record component of that name
     */
    public ClusterOptions {
        requireNonNull(etcd, "etcd is null");
        requireNonNull(rootKeyFile, "rootKeyFile is null");
        requireNonNull(nodeTtl, "nodeTtl is null");
        if (nodeTtl.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("the node TTL must be at least 2s, not " + nodeTtl);
        }
    }
}
