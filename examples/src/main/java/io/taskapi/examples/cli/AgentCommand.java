package io.taskapi.examples.cli;

import io.taskapi.examples.agent.Agent;
import io.taskapi.examples.agent.AgentConfigFile;
import io.taskapi.examples.agent.AgentOptions;
import io.taskapi.examples.agent.ClusterOptions;
import io.taskapi.examples.agent.NodeFingerprint;
import io.taskapi.state.etcd.EtcdStateConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taskapi agent}: runs an agent in the foreground until SIGTERM or Ctrl-C, then closes the plugin. Its tasks
 * keep running for the next start to recover, except in {@code -dev}, which stops them.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Run an agent in the foreground. Ctrl-C or"
        + " SIGTERM stops it; its tasks keep running and the next start with the same -data-dir recovers them (with"
        + " -dev they are stopped).")
public final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-config", paramLabel = "FILE", description = "An agent configuration file (HCL, or JSON by its"
            + " .json suffix) in Nomad's shape; repeat for more: later files override earlier ones, flags override"
            + " files.")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "-dev", description = "Development mode: plain HTTP, and a temporary data directory unless"
            + " -data-dir is given.")
    boolean dev;

    @Option(names = "-data-dir", paramLabel = "DIR", description = "Where the agent keeps its state and tasks.")
    Path dataDir;

    @Option(names = "-acl-enabled", description = "Enforce ACL policies (bootstrap with `taskapi acl bootstrap`).")
    boolean aclEnabled;

    @Option(names = "-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The operator API's address (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "-port", paramLabel = "PORT", defaultValue = "4646",
            description = "The operator API's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "-node", paramLabel = "NAME", description = "This node's name (default: the host name).")
    String nodeName;

    @Option(names = "-dc", paramLabel = "DC", defaultValue = "dc1", description = "This node's datacenter"
            + " (default: ${DEFAULT-VALUE}).")
    String datacenter;

    @Option(names = "-region", paramLabel = "REGION", defaultValue = "global", description = "The region"
            + " (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "-node-class", paramLabel = "CLASS", defaultValue = "", description = "This node's class.")
    String nodeClass;

    @Option(names = "-meta", paramLabel = "KEY=VALUE", description = "Static node metadata; repeat for more.")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "-plugin-dir", paramLabel = "DIR", description = "Third-party driver jars"
            + " (default: <data-dir>/plugins).")
    Path pluginDir;

    @Option(names = "-tls-cert-file", paramLabel = "FILE", description = "The operator API's certificate (PEM);"
            + " without it a self-signed one is made in <data-dir>/tls. Not with -dev.")
    Path tlsCert;

    @Option(names = "-tls-key-file", paramLabel = "FILE", description = "The certificate's private key (PEM).")
    Path tlsKey;

    @Option(names = "-tls-ca-file", paramLabel = "FILE", description = "The CA (PEM) that signs client"
            + " certificates, for -tls-verify-https-client.")
    Path tlsCa;

    @Option(names = "-tls-verify-https-client", description = "Refuse HTTPS clients without a certificate signed by"
            + " -tls-ca-file (Nomad's verify_https_client).")
    boolean verifyHttpsClient;

    @Option(names = "-etcd-endpoints", paramLabel = "URL,…", split = ",", description = "Keep the state (ACLs,"
            + " variables, keyrings, nodes, allocations) in this etcd cluster, shared with the other agents on it,"
            + " instead of the embedded store (the state { etcd { … } } block in a config file).")
    List<URI> etcdEndpoints = new ArrayList<>();

    @Option(names = "-etcd-key-prefix", paramLabel = "PREFIX", description = "Where the keys live in etcd"
            + " (default: " + ClusterOptions.DEFAULT_KEY_PREFIX + ").")
    String etcdKeyPrefix;

    @Option(names = "-keyring-key-file", paramLabel = "FILE", description = "The root key that wraps the"
            + " cluster's keyrings in etcd (made there when missing; give every agent a copy). Without it, variables"
            + " answer 503 sealed.")
    Path keyringKeyFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AgentOptions options;
        try {
            options = options(AgentConfigFile.read(configFiles));
        } catch (AgentConfigFile.InvalidException e) {
            err.println("Error reading the agent configuration:");
            e.getMessage().lines().forEach(line -> err.println("  " + line));
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        Agent agent;
        try {
            agent = Agent.start(options);
        } catch (IOException | RuntimeException e) {
            err.println("Error starting agent: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "taskapi-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        banner(out, agent);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            agent.close();
        }
        return 0;
    }

    /** Each setting from its flag when the flag was given, else from the files, else the flag's default. */
    private AgentOptions options(AgentConfigFile.Settings files) {
        Map<String, String> allMeta = new LinkedHashMap<>(files.meta());
        allMeta.putAll(meta);
        return new AgentOptions(dev, given("-data-dir") ? Optional.of(dataDir) : files.dataDir(),
                given("-acl-enabled") ? aclEnabled : files.aclEnabled().orElse(false),
                given("-bind") ? bind : files.bindAddr().orElse(bind),
                given("-port") ? port : files.httpPort().orElse(port),
                given("-region") ? region : files.region().orElse(region),
                given("-dc") ? datacenter : files.datacenter().orElse(datacenter),
                given("-node") ? nodeName : files.nodeName().orElseGet(NodeFingerprint::hostname),
                given("-node-class") ? nodeClass : files.nodeClass().orElse(nodeClass), allMeta,
                new AgentOptions.Tls(given("-tls-cert-file") ? Optional.of(tlsCert) : files.tlsCertFile(),
                        given("-tls-key-file") ? Optional.of(tlsKey) : files.tlsKeyFile(),
                        given("-tls-ca-file") ? Optional.of(tlsCa) : files.tlsCaFile(),
                        given("-tls-verify-https-client") ? verifyHttpsClient
                                : files.verifyHttpsClient().orElse(false)),
                given("-plugin-dir") ? Optional.of(pluginDir) : files.pluginDir(), files.taskApi(), files.drivers(),
                cluster(files.cluster()));
    }

    /** The file's {@code state.etcd} block, with what the flags set instead. */
    private Optional<ClusterOptions> cluster(Optional<ClusterOptions> fromFiles) {
        if (fromFiles.isEmpty() && etcdEndpoints.isEmpty()) {
            if (given("-etcd-key-prefix") || given("-keyring-key-file")) {
                throw new IllegalArgumentException("-etcd-key-prefix and -keyring-key-file need -etcd-endpoints");
            }
            return Optional.empty();
        }
        ClusterOptions base = fromFiles.orElseGet(() -> new ClusterOptions(EtcdStateConfig.of(etcdEndpoints,
                ClusterOptions.DEFAULT_KEY_PREFIX), Optional.empty(), ClusterOptions.DEFAULT_NODE_TTL));
        EtcdStateConfig etcd = base.etcd();
        return Optional.of(new ClusterOptions(new EtcdStateConfig(
                etcdEndpoints.isEmpty() ? etcd.endpoints() : etcdEndpoints,
                given("-etcd-key-prefix") ? etcdKeyPrefix : etcd.keyPrefix(), etcd.stalenessBound(),
                etcd.requestTimeout(), etcd.heartbeatInterval(), etcd.tls(), etcd.credentials()),
                given("-keyring-key-file") ? Optional.of(keyringKeyFile) : base.rootKeyFile(), base.nodeTtl()));
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private static void banner(PrintWriter out, Agent agent) {
        out.println("==> taskapi agent configuration:");
        out.println();
        out.print(Format.keyValues(Format.pairs(
                "HTTP", agent.address() + (agent.options().dev() ? " (plain HTTP: -dev)" : ""),
                "Node ID", agent.node().id(),
                "Node Name", agent.node().name(),
                "Region", agent.options().region() + " (DC: " + agent.node().datacenter() + ")",
                "Data Dir", agent.dataDir().root() + (agent.dataDir().temporary() ? " (temporary)" : ""),
                "ACLs", agent.options().aclEnabled() ? "enabled" : "disabled",
                "State", agent.options().cluster().map(cluster -> "etcd " + cluster.etcd().endpoints().stream()
                        .map(URI::toString).collect(Collectors.joining(",")) + " " + cluster.etcd().keyPrefix())
                        .orElse("embedded (" + agent.dataDir().root() + ")"),
                "Drivers", String.join(", ", agent.drivers()))).replaceAll("(?m)^", "    "));
        agent.caCertificate().ifPresent(ca -> out.println("    CA Cert   = " + ca
                + " (clients: -ca-cert or NOMAD_CACERT)"));
        out.println();
        out.println("==> taskapi agent started! Stop it with Ctrl-C. Log data will stream in below:");
        out.flush();
    }
}
