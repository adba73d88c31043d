package io.taskapi.examples.agent;

import io.taskapi.examples.jobspec.GoDuration;
import io.taskapi.hcl.HclAttribute;
import io.taskapi.hcl.HclBlock;
import io.taskapi.hcl.HclBody;
import io.taskapi.hcl.HclBool;
import io.taskapi.hcl.HclJson;
import io.taskapi.hcl.HclList;
import io.taskapi.hcl.HclNumber;
import io.taskapi.hcl.HclObject;
import io.taskapi.hcl.HclParseException;
import io.taskapi.hcl.HclParser;
import io.taskapi.hcl.HclSchema;
import io.taskapi.hcl.HclString;
import io.taskapi.hcl.HclType;
import io.taskapi.hcl.HclValue;
import io.taskapi.state.etcd.EtcdStateConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's configuration files ({@code taskapi agent -config FILE}, repeatable), in the shape of Nomad's agent
 * configuration, HCL or JSON (by the {@code .json} suffix). Read strictly: every unknown key and wrong value of every
 * file is reported at once, each as {@code FILE:LINE:COLUMN: what}. Later files override earlier ones; the command's
 * flags override them all.
 *
 * <pre>
 * data_dir   = "/var/lib/taskapi"
 * region     = "global"
 * datacenter = "dc1"
 * name       = "node-1"
 * bind_addr  = "127.0.0.1"
 * plugin_dir = "/var/lib/taskapi/plugins"
 * ports { http = 4646 }
 * acl { enabled = true }
 * client {
 *   node_class = "edge"
 *   meta { rack = "r1" }
 * }
 * tls {
 *   cert_file = "agent.crt"    key_file = "agent.key"
 *   ca_file   = "clients.crt"  verify_https_client = true
 * }
 * plugin "docker" {
 *   config { endpoint = "unix:///run/docker.sock" }
 * }
 * taskapi {                    # the Task API plugin's settings: SECTION { KEY = VALUE } is "SECTION.KEY"
 *   socket { max-connections = 32 }
 *   identity { cache-ttl = "1m" }
 * }
 * </pre>
 */
public final class AgentConfigFile {
    /** Plugin settings the agent derives from its own options; setting them in {@code taskapi} would be ignored. */
    private static final Set<String> SET_BY_THE_AGENT = Set.of("http.operator-address", "http.operator-tls-cert-file",
            "http.operator-tls-key-file", "http.operator-tls-verify-client", "http.operator-tls-ca-file",
            "acl.enabled", "agent.region", "state.data-dir", "socket.link-dir");

    private static final HclSchema SECTION = HclSchema.builder("taskapi section").anyAttributes().build();
    private static final HclSchema SCHEMA = HclSchema.builder("agent configuration")
            .attribute("data_dir", HclType.STRING)
            .attribute("region", HclType.STRING)
            .attribute("datacenter", HclType.STRING)
            .attribute("name", HclType.STRING)
            .attribute("bind_addr", HclType.STRING)
            .attribute("plugin_dir", HclType.STRING)
            .singleBlock("ports", 0, HclSchema.builder("ports block").attribute("http", HclType.INTEGER).build())
            .singleBlock("acl", 0, HclSchema.builder("acl block").attribute("enabled", HclType.BOOL).build())
            .singleBlock("client", 0, HclSchema.builder("client block")
                    .attribute("node_class", HclType.STRING)
                    .singleBlock("meta", 0, HclSchema.builder("meta block").anyAttributes().build())
                    .build())
            .singleBlock("tls", 0, HclSchema.builder("tls block")
                    .attribute("cert_file", HclType.STRING)
                    .attribute("key_file", HclType.STRING)
                    .attribute("ca_file", HclType.STRING)
                    .attribute("verify_https_client", HclType.BOOL)
                    .build())
            .block("plugin", 1, HclSchema.builder("plugin block")
                    .singleBlock("config", 0, HclSchema.builder("config block").anyAttributes().build())
                    .build())
            .singleBlock("state", 0, HclSchema.builder("state block")
                    .singleBlock("etcd", 0, HclSchema.builder("etcd block")
                            .attribute("endpoints", HclType.LIST_OF_STRINGS)
                            .attribute("key_prefix", HclType.STRING)
                            .attribute("keyring_key_file", HclType.STRING)
                            .attribute("node_ttl", HclType.STRING)
                            .attribute("staleness_bound", HclType.STRING)
                            .attribute("request_timeout", HclType.STRING)
                            .attribute("heartbeat_interval", HclType.STRING)
                            .attribute("username", HclType.STRING)
                            .attribute("password", HclType.STRING)
                            .singleBlock("tls", 0, HclSchema.builder("etcd tls block")
                                    .attribute("ca_file", HclType.STRING)
                                    .attribute("cert_file", HclType.STRING)
                                    .attribute("key_file", HclType.STRING)
                                    .build())
                            .build())
                    .build())
            .singleBlock("taskapi", 0, HclSchema.builder("taskapi block")
                    .singleBlock("socket", 0, SECTION)
                    .singleBlock("identity", 0, SECTION)
                    .singleBlock("http", 0, SECTION)
                    .singleBlock("filter", 0, SECTION)
                    .build())
            .build();

    private AgentConfigFile() {}

    /** A configuration file that cannot be used; the message lists every problem, one per line. */
    public static final class InvalidException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidException(List<String> problems) {
            super(String.join("\n", problems));
        }
    }

    /**
     * What the files set; each field is empty (or an empty map) where no file sets it.
     *
     * @param dataDir {@code data_dir}
     * @param region {@code region}
     * @param datacenter {@code datacenter}
     * @param nodeName {@code name}
     * @param bindAddr {@code bind_addr}
     * @param pluginDir {@code plugin_dir}
     * @param httpPort {@code ports.http}
     * @param aclEnabled {@code acl.enabled}
     * @param nodeClass {@code client.node_class}
     * @param meta {@code client.meta}
     * @param tlsCertFile {@code tls.cert_file}
     * @param tlsKeyFile {@code tls.key_file}
     * @param tlsCaFile {@code tls.ca_file}
     * @param verifyHttpsClient {@code tls.verify_https_client}
     * @param drivers each {@code plugin "NAME" { config { … } }}, by driver name
     * @param taskApi the Task API plugin's settings, {@code SECTION.KEY} to value
     * @param cluster {@code state.etcd}: the etcd cluster whose state the agent shares
     */
    public record Settings(Optional<Path> dataDir, Optional<String> region, Optional<String> datacenter,
                           Optional<String> nodeName, Optional<String> bindAddr, Optional<Path> pluginDir,
                           Optional<Integer> httpPort, Optional<Boolean> aclEnabled, Optional<String> nodeClass,
                           Map<String, String> meta, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile,
                           Optional<Path> tlsCaFile, Optional<Boolean> verifyHttpsClient,
                           Map<String, Map<String, Object>> drivers, Map<String, String> taskApi,
                           Optional<ClusterOptions> cluster) {
        /** Nothing set. */
        public static final Settings NONE = new Settings(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Map.of(), Optional.empty());

        /** Copies the maps. */
        public Settings {
            meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
            drivers = Collections.unmodifiableMap(new LinkedHashMap<>(drivers));
            taskApi = Collections.unmodifiableMap(new LinkedHashMap<>(taskApi));
        }

        /**
         * @param later a file read after this one
         * @return what both set, the later one winning; maps are merged key by key
         */
        Settings then(Settings later) {
            Map<String, String> mergedMeta = new LinkedHashMap<>(meta);
            mergedMeta.putAll(later.meta);
            Map<String, Map<String, Object>> mergedDrivers = new LinkedHashMap<>(drivers);
            later.drivers.forEach((name, config) -> mergedDrivers.merge(name, config, (a, b) -> {
                Map<String, Object> both = new LinkedHashMap<>(a);
                both.putAll(b);
                return both;
            }));
            Map<String, String> mergedTaskApi = new LinkedHashMap<>(taskApi);
            mergedTaskApi.putAll(later.taskApi);
            return new Settings(later.dataDir.or(() -> dataDir), later.region.or(() -> region),
                    later.datacenter.or(() -> datacenter), later.nodeName.or(() -> nodeName),
                    later.bindAddr.or(() -> bindAddr), later.pluginDir.or(() -> pluginDir),
                    later.httpPort.or(() -> httpPort), later.aclEnabled.or(() -> aclEnabled),
                    later.nodeClass.or(() -> nodeClass), mergedMeta, later.tlsCertFile.or(() -> tlsCertFile),
                    later.tlsKeyFile.or(() -> tlsKeyFile), later.tlsCaFile.or(() -> tlsCaFile),
                    later.verifyHttpsClient.or(() -> verifyHttpsClient), mergedDrivers, mergedTaskApi,
                    later.cluster.or(() -> cluster));
        }
    }

    /**
     * @param files the files, in order; relative paths in a file are relative to its directory
     * @return what they set together
     * @throws InvalidException naming every problem of every file
     */
    public static Settings read(List<Path> files) throws InvalidException {
        List<String> problems = new ArrayList<>();
        Settings settings = Settings.NONE;
        for (Path file : files) {
            settings = settings.then(read(file, problems));
        }
        if (!problems.isEmpty()) {
            throw new InvalidException(problems);
        }
        return settings;
    }

    private static Settings read(Path file, List<String> problems) {
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(file + ": cannot read it: " + e.getMessage());
            return Settings.NONE;
        }
        HclBody body;
        try {
            body = file.toString().endsWith(".json") ? HclJson.read(source, SCHEMA) : HclParser.parse(source);
        } catch (HclParseException e) {
            problems.add(file + ":" + e.getMessage());
            return Settings.NONE;
        }
        List<HclParseException> found = new ArrayList<>(SCHEMA.problems(body));
        Reader reader = new Reader(file.toAbsolutePath().getParent(), found);
        Settings settings = reader.settings(body);
        found.stream().sorted(Comparator.comparingInt((HclParseException e) -> e.position().line())
                .thenComparingInt(e -> e.position().column()))
                .forEach(e -> problems.add(file + ":" + e.getMessage()));
        return settings;
    }

    /** Reads a body that may have problems: a value of the wrong type is skipped (the schema reported it). */
    private record Reader(Path dir, List<HclParseException> problems) {
        Settings settings(HclBody body) {
            Optional<HclBody> ports = single(body, "ports");
            Optional<HclBody> acl = single(body, "acl");
            Optional<HclBody> client = single(body, "client");
            Optional<HclBody> tls = single(body, "tls");
            Optional<Long> http = ports.flatMap(p -> integer(p, "http"));
            http.filter(p -> p < 0 || p > 65535).ifPresent(p -> problem(ports.get().attribute("http").orElseThrow(),
                    "ports.http must be between 0 and 65535"));
            Optional<Integer> port = http.filter(p -> p >= 0 && p <= 65535).map(Long::intValue);
            Map<String, String> meta = new LinkedHashMap<>();
            client.flatMap(c -> single(c, "meta")).ifPresent(m -> m.attributes().forEach(a -> scalar(a)
                    .ifPresent(v -> meta.put(a.name(), v))));
            Map<String, Map<String, Object>> drivers = new LinkedHashMap<>();
            for (HclBlock plugin : body.blocks("plugin")) {
                if (plugin.labels().size() != 1) {
                    continue;
                }
                Map<String, Object> config = new LinkedHashMap<>();
                single(plugin.body(), "config").ifPresent(c -> c.attributes().forEach(a -> plain(a.value())
                        .ifPresent(v -> config.put(a.name(), v))));
                drivers.put(plugin.label(0), config);
            }
            Map<String, String> taskApi = new LinkedHashMap<>();
            single(body, "taskapi").ifPresent(t -> t.blocks().forEach(section -> section.body().attributes()
                    .forEach(a -> {
                        String key = section.type() + "." + a.name();
                        if (SET_BY_THE_AGENT.contains(key)) {
                            problem(a, key + " is set by the agent from its own options (bind_addr, ports, tls,"
                                    + " acl, data_dir); set those instead");
                        } else {
                            scalar(a).ifPresent(v -> taskApi.put(key, v));
                        }
                    })));
            return new Settings(string(body, "data_dir").map(this::path), string(body, "region"),
                    string(body, "datacenter"), string(body, "name"), string(body, "bind_addr"),
                    string(body, "plugin_dir").map(this::path), port, acl.flatMap(a -> bool(a, "enabled")),
                    client.flatMap(c -> string(c, "node_class")), meta,
                    tls.flatMap(t -> string(t, "cert_file")).map(this::path),
                    tls.flatMap(t -> string(t, "key_file")).map(this::path),
                    tls.flatMap(t -> string(t, "ca_file")).map(this::path),
                    tls.flatMap(t -> bool(t, "verify_https_client")), drivers, taskApi,
                    single(body, "state").flatMap(state -> state.blocks("etcd").stream().findFirst())
                            .flatMap(this::cluster));
        }

        /** The {@code state { etcd { … } }} block; empty (with a problem noted) when it cannot be used. */
        private Optional<ClusterOptions> cluster(HclBlock block) {
            HclBody etcd = block.body();
            Optional<HclList> list = etcd.attribute("endpoints").map(HclAttribute::value)
                    .filter(HclList.class::isInstance).map(HclList.class::cast);
            if (list.isEmpty()) {
                problems.add(new HclParseException(block.position(), "state.etcd needs endpoints = [\"http://…\"]"));
                return Optional.empty();
            }
            List<URI> endpoints = new ArrayList<>();
            list.get().elements().stream().filter(HclString.class::isInstance)
                    .forEach(url -> endpoints.add(URI.create(((HclString) url).value())));
            Optional<HclBody> tls = single(etcd, "tls");
            try {
                EtcdStateConfig config = new EtcdStateConfig(endpoints,
                        string(etcd, "key_prefix").orElse(ClusterOptions.DEFAULT_KEY_PREFIX),
                        duration(etcd, "staleness_bound").orElse(EtcdStateConfig.DEFAULT_STALENESS_BOUND),
                        duration(etcd, "request_timeout").orElse(EtcdStateConfig.DEFAULT_REQUEST_TIMEOUT),
                        duration(etcd, "heartbeat_interval").orElse(EtcdStateConfig.DEFAULT_HEARTBEAT_INTERVAL),
                        tls.map(t -> new EtcdStateConfig.Tls(string(t, "ca_file").map(this::path).orElseThrow(
                                () -> new IllegalArgumentException("state.etcd.tls needs ca_file")),
                                string(t, "cert_file").map(this::path), string(t, "key_file").map(this::path))),
                        string(etcd, "username").map(user -> new EtcdStateConfig.Credentials(user,
                                string(etcd, "password").orElse(""))));
                return Optional.of(new ClusterOptions(config, string(etcd, "keyring_key_file").map(this::path),
                        duration(etcd, "node_ttl").orElse(ClusterOptions.DEFAULT_NODE_TTL)));
            } catch (IllegalArgumentException e) {
                problems.add(new HclParseException(block.position(), "state.etcd: " + e.getMessage()));
                return Optional.empty();
            }
        }

        private static Optional<Duration> duration(HclBody body, String name) {
            Optional<String> text = string(body, name);
            try {
                return text.map(GoDuration::parse);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }

        private Path path(String value) {
            return dir.resolve(value).normalize();
        }

        private void problem(HclAttribute attribute, String message) {
            problems.add(new HclParseException(attribute.value().position(), message));
        }

        /** A setting's value as the plugin reads it: a string, a number or a bool, written out. */
        private Optional<String> scalar(HclAttribute attribute) {
            HclValue value = attribute.value();
            if (value instanceof HclString s) {
                return Optional.of(s.value());
            }
            if (value instanceof HclNumber n) {
                return Optional.of(n.value().toPlainString());
            }
            if (value instanceof HclBool b) {
                return Optional.of(Boolean.toString(b.value()));
            }
            problem(attribute, "\"" + attribute.name() + "\" must be a string, a number or a bool");
            return Optional.empty();
        }

        private static Optional<HclBody> single(HclBody body, String type) {
            List<HclBlock> blocks = body.blocks(type);
            return blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(0).body());
        }

        private static Optional<String> string(HclBody body, String name) {
            return body.attribute(name).map(HclAttribute::value).filter(HclString.class::isInstance)
                    .map(v -> ((HclString) v).value());
        }

        private static Optional<Boolean> bool(HclBody body, String name) {
            return body.attribute(name).map(HclAttribute::value).filter(HclBool.class::isInstance)
                    .map(v -> ((HclBool) v).value());
        }

        private static Optional<Long> integer(HclBody body, String name) {
            return body.attribute(name).map(HclAttribute::value).filter(HclNumber.class::isInstance)
                    .map(HclNumber.class::cast).filter(HclNumber::integral).map(n -> n.value().longValue());
        }

        /** A driver's config value: strings, numbers, bools, lists and maps, as a task's config. */
        private static Optional<Object> plain(HclValue value) {
            if (value instanceof HclString s) {
                return Optional.of(s.value());
            }
            if (value instanceof HclNumber n) {
                return Optional.of(n.integral() ? (Object) n.value().longValue() : n.value());
            }
            if (value instanceof HclBool b) {
                return Optional.of(b.value());
            }
            if (value instanceof HclList list) {
                List<Object> out = new ArrayList<>();
                list.elements().forEach(e -> plain(e).ifPresent(out::add));
                return Optional.of(List.copyOf(out));
            }
            if (value instanceof HclObject object) {
                Map<String, Object> out = new LinkedHashMap<>();
                object.entries().forEach(e -> plain(e.value()).ifPresent(v -> out.put(e.name(), v)));
                return Optional.of(Collections.unmodifiableMap(out));
            }
            return Optional.empty(); // null: left out
        }
    }
}
