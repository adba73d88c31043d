package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.NodeDriver;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** This agent's one node. Its id is made once and kept in the data directory, so it survives restarts. */
public final class LocalNodeRegistry implements NodeRegistry {
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private volatile NodeInfo node;
    private volatile Consumer<NodeInfo> changed = node -> { };

    /** @param node the node */
    public LocalNodeRegistry(NodeInfo node) {
        this.node = requireNonNull(node, "node is null");
    }

    /**
     * Publishes the drivers' health (Nomad's {@code Drivers}); a detected driver's attributes, and
     * {@code driver.NAME = "1"}, join the node's attributes, an undetected one's {@code driver.NAME} leaves them.
     *
     * @param drivers each driver's health by name
     */
    public synchronized void publishDrivers(Map<String, NodeDriver> drivers) {
        NodeInfo current = node;
        Map<String, String> attributes = new TreeMap<>(current.attributes());
        drivers.forEach((name, driver) -> {
            attributes.keySet().removeIf(key -> key.equals("driver." + name) || key.startsWith("driver." + name + "."));
            if (driver.detected()) {
                attributes.put("driver." + name, "1");
                attributes.putAll(driver.attributes());
            }
        });
        node = new NodeInfo(current.id(), current.name(), current.datacenter(), current.nodePool(),
                current.nodeClass(), current.status(), attributes, current.staticMeta(), drivers);
        changed.accept(node);
    }

    /** @param listener told of the node each time its drivers' health changes (one listener: the last one set) */
    public void onChange(Consumer<NodeInfo> listener) {
        changed = requireNonNull(listener, "listener is null");
    }

    /**
     * @param idFile where the id is kept
     * @return the id in the file, or a new one written there
     * @throws IOException when the file cannot be read or written, or does not hold an id
     */
    public static String loadOrCreateId(Path idFile) throws IOException {
        if (Files.exists(idFile)) {
            String id = Files.readString(idFile, StandardCharsets.UTF_8).trim();
            if (!UUID_SHAPE.matcher(id).matches()) {
                throw new IOException(idFile + " does not hold a node id");
            }
            return id;
        }
        String id = UUID.randomUUID().toString();
        Path temp = idFile.resolveSibling(idFile.getFileName() + ".tmp");
        Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
        Files.move(temp, idFile, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /**
     * @param id the node id
     * @param options the agent's name, datacenter, class and static metadata
     * @param attributes the fingerprint
     * @return the node as the API shows it
     */
    public static NodeInfo node(String id, AgentOptions options, Map<String, String> attributes) {
        return new NodeInfo(id, options.nodeName(), options.datacenter(), "default", options.nodeClass(), "ready",
                attributes, options.meta());
    }

    /**
     * The node's variables for interpolation, as Nomad names them: {@code node.unique.id}, {@code node.datacenter},
     * {@code node.unique.name}, {@code node.class}, {@code node.pool}, {@code node.region}, {@code attr.*},
     * {@code meta.*} (static metadata).
     *
     * @param region the agent's region
     * @return the variables
     */
    public Map<String, String> interpolationVariables(String region) {
        Map<String, String> variables = new TreeMap<>();
        variables.put("node.unique.id", node.id());
        variables.put("node.unique.name", node.name());
        variables.put("node.datacenter", node.datacenter());
        variables.put("node.class", node.nodeClass());
        variables.put("node.pool", node.nodePool());
        variables.put("node.region", region);
        node.attributes().forEach((k, v) -> variables.put("attr." + k, v));
        node.staticMeta().forEach((k, v) -> variables.put("meta." + k, v));
        return variables;
    }

    /** @return the node */
    public NodeInfo node() {
        return node;
    }

    @Override
    public String localNodeId() {
        return node.id();
    }

    @Override
    public List<NodeInfo> list() {
        return List.of(node);
    }

    @Override
    public Optional<NodeInfo> find(String nodeId) {
        requireNonNull(nodeId, "nodeId is null");
        return node.id().equals(nodeId) ? Optional.of(node) : Optional.empty();
    }
}
