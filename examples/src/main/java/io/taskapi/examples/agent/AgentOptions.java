package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How to run an agent: the flags of {@code taskapi agent}.
 *
 * @param dev a development agent: plain HTTP on the operator listener and, without {@code dataDir}, a temporary data
 *     directory removed at shutdown
 * @param dataDir where the agent keeps everything; required unless {@code dev}
 * @param aclEnabled whether ACL policies decide what callers may do
 * @param bindHost the operator listener's host
 * @param port the operator listener's port
 * @param region the region in workload identities and {@code NOMAD_REGION}
 * @param datacenter this node's datacenter
 * @param nodeName this node's name
 * @param nodeClass this node's class, possibly empty
 * @param meta this node's static metadata
 * @param tls the operator listener's TLS settings (not in {@code dev})
 * @param pluginDir a directory of third-party driver jars; {@code <data-dir>/plugins} unless set
 * @param taskApiSettings the Task API plugin's settings from the configuration files ({@code SECTION.KEY})
 * @param driverConfig each driver's {@code plugin "NAME" { config { … } }}, by driver name
 * @param cluster the etcd cluster whose state this agent shares ({@code -etcd-endpoints}); empty: the plugin's
 *     embedded store
 */
public record AgentOptions(boolean dev, Optional<Path> dataDir, boolean aclEnabled, String bindHost, int port,
                           String region, String datacenter, String nodeName, String nodeClass,
                           Map<String, String> meta, Tls tls, Optional<Path> pluginDir,
                           Map<String, String> taskApiSettings, Map<String, Map<String, Object>> driverConfig,
                           Optional<ClusterOptions> cluster) {
    /** Nomad's HTTP port. */
    public static final int DEFAULT_PORT = 4646;

    /** Checks the options. */
    public AgentOptions {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(bindHost, "bindHost is null");
        requireNonNull(region, "region is null");
        requireNonNull(datacenter, "datacenter is null");
        requireNonNull(nodeName, "nodeName is null");
        requireNonNull(nodeClass, "nodeClass is null");
        meta = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(meta, "meta is null")));
        requireNonNull(tls, "tls is null");
        requireNonNull(pluginDir, "pluginDir is null");
        taskApiSettings = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(taskApiSettings,
                "taskApiSettings is null")));
        driverConfig = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(driverConfig,
                "driverConfig is null")));
        requireNonNull(cluster, "cluster is null");
        if (!dev && dataDir.isEmpty()) {
            throw new IllegalArgumentException("-data-dir is required unless -dev");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
    }

    /**
     * The operator listener's TLS, Nomad's {@code tls} block.
     *
     * @param certFile its certificate (PEM); generated in {@code <data-dir>/tls} when absent
     * @param keyFile the certificate's private key (PEM), with {@code certFile}
     * @param caFile the CA that signs client certificates, with {@code verifyHttpsClient}
     * @param verifyHttpsClient whether every client must present a certificate that {@code caFile} signed (Nomad's
     *     {@code verify_https_client})
     */
    public record Tls(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile,
                      boolean verifyHttpsClient) {
        /** A generated certificate, no client verification. */
        public static final Tls GENERATED = new Tls(Optional.empty(), Optional.empty(), Optional.empty(), false);

        /** Checks that the files that go together are given together. */
        public Tls {
            requireNonNull(certFile, "certFile is null");
            requireNonNull(keyFile, "keyFile is null");
            requireNonNull(caFile, "caFile is null");
            if (certFile.isPresent() != keyFile.isPresent()) {
                throw new IllegalArgumentException("-tls-cert-file and -tls-key-file go together");
            }
            if (verifyHttpsClient && caFile.isEmpty()) {
                throw new IllegalArgumentException("-tls-verify-https-client needs -tls-ca-file: the CA that signs"
                        + " client certificates");
            }
        }
    }

    /**
     * @param aclEnabled whether ACLs are on
     * @return a dev agent's options: temporary data directory, 127.0.0.1:4646, this host's name
     */
    public static AgentOptions dev(boolean aclEnabled) {
        return new AgentOptions(true, Optional.empty(), aclEnabled, "127.0.0.1", DEFAULT_PORT, "global", "dc1",
                NodeFingerprint.hostname(), "", Map.of(), Tls.GENERATED, Optional.empty(),
                Map.of(), Map.of(), Optional.empty());
    }

    /**
     * @param port another port (0 is not allowed: the CLI must know where the agent listens)
     * @return these options on that port
     */
    public AgentOptions withPort(int port) {
        return new AgentOptions(dev, dataDir, aclEnabled, bindHost, port, region, datacenter, nodeName, nodeClass,
                meta, tls, pluginDir, taskApiSettings, driverConfig, cluster);
    }

    /**
     * @param dataDir a data directory
     * @return these options with it
     */
    public AgentOptions withDataDir(Path dataDir) {
        return new AgentOptions(dev, Optional.of(dataDir), aclEnabled, bindHost, port, region, datacenter, nodeName,
                nodeClass, meta, tls, pluginDir, taskApiSettings, driverConfig, cluster);
    }

    /**
     * @param cluster the etcd cluster whose state this agent shares
     * @return these options with it
     */
    public AgentOptions withCluster(ClusterOptions cluster) {
        return new AgentOptions(dev, dataDir, aclEnabled, bindHost, port, region, datacenter, nodeName, nodeClass,
                meta, tls, pluginDir, taskApiSettings, driverConfig, Optional.of(cluster));
    }

    /**
     * @param meta static node metadata
     * @return these options with it
     */
    public AgentOptions withMeta(Map<String, String> meta) {
        return new AgentOptions(dev, dataDir, aclEnabled, bindHost, port, region, datacenter, nodeName, nodeClass,
                meta, tls, pluginDir, taskApiSettings, driverConfig, cluster);
    }
}
