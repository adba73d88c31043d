package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A client node as its agent describes it, before dynamic metadata is merged in.
 *
 * @param id the node's id (a UUID in Nomad)
 * @param name its name
 * @param datacenter its datacenter
 * @param nodePool its node pool
 * @param nodeClass its class, possibly empty
 * @param status {@code ready}, {@code down}, {@code initializing} or {@code disconnected}
 * @param attributes fingerprinted attributes such as {@code kernel.name}
 * @param staticMeta metadata from the agent's configuration (dynamic metadata may override or delete keys)
 * @param drivers the node's task drivers by name, with their health (Nomad's {@code Drivers}); empty when the agent
 *     does not report them
 */
public record NodeInfo(String id, String name, String datacenter, String nodePool, String nodeClass, String status,
                       Map<String, String> attributes, Map<String, String> staticMeta,
                       Map<String, NodeDriver> drivers) {
    /**
     * Copies the maps and checks that nothing is missing.
     *
     * @param id see the record component of that name
     * @param name see the record component of that name
     * @param datacenter see the record component of that name
     * @param nodePool see the record component of that name
     * @param nodeClass see the record component of that name
     * @param status see the record component of that name
     * @param attributes see the record component of that name
     * @param staticMeta see the record component of that name
     * @param drivers see the record component of that name
     */
    public NodeInfo {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(datacenter, "datacenter is null");
        requireNonNull(nodePool, "nodePool is null");
        requireNonNull(nodeClass, "nodeClass is null");
        requireNonNull(status, "status is null");
        attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
        staticMeta = Map.copyOf(requireNonNull(staticMeta, "staticMeta is null"));
        drivers = Map.copyOf(requireNonNull(drivers, "drivers is null"));
    }

    /**
     * A node without driver health (the form before SPI 1.1 added {@code drivers}).
     *
     * @param id see the record component of that name
     * @param name see the record component of that name
     * @param datacenter see the record component of that name
     * @param nodePool see the record component of that name
     * @param nodeClass see the record component of that name
     * @param status see the record component of that name
     * @param attributes see the record component of that name
     * @param staticMeta see the record component of that name
     */
    public NodeInfo(String id, String name, String datacenter, String nodePool, String nodeClass, String status,
                    Map<String, String> attributes, Map<String, String> staticMeta) {
        this(id, name, datacenter, nodePool, nodeClass, status, attributes, staticMeta, Map.of());
    }

    /**
     * @param drivers the node's drivers with their health
     * @return this node with them
     */
    public NodeInfo withDrivers(Map<String, NodeDriver> drivers) {
        return new NodeInfo(id, name, datacenter, nodePool, nodeClass, status, attributes, staticMeta, drivers);
    }
}
