package io.taskapi.plugin.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.listener.OperatorAddress;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.TreeMap;

/**
 * Builds a node's record as Nomad's {@code structs.Node} shows it, with dynamic metadata merged into {@code Meta}:
 * the full record is what {@code /v1/node/:id} returns and what {@code ?filter=} expressions are evaluated against.
 */
public final class NodeRecords {
    /**
     * A node is registered once, when its agent starts, and its record does not change afterwards (dynamic metadata
     * has its own index): the first write of the node table.
     */
    private static final long REGISTRATION_INDEX = 1;
    private static final long MIB = 1024 * 1024;

    private final NodeMetadataService metadata;
    private final ObjectMapper mapper;
    private final OperatorAddress address;
    private final Instant registeredAt;

    /**
     * @param metadata each node's merged metadata
     * @param mapper builds the JSON
     * @param address the agent's HTTP address, as the node advertises it
     */
    @Inject
    public NodeRecords(NodeMetadataService metadata, ObjectMapper mapper, OperatorAddress address) {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.address = requireNonNull(address, "address is null");
        // the agent and the plugin share the process: its start is when the node registered
        this.registeredAt = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /**
     * @param node a node
     * @return its full record
     * @throws StateUnavailableException when its metadata cannot be read
     */
    public ObjectNode full(NodeInfo node) throws StateUnavailableException {
        ObjectNode record = stub(node);
        record.set("Attributes", mapper.valueToTree(new TreeMap<>(node.attributes())));
        record.set("Meta", mapper.valueToTree(new TreeMap<>(metadata.read(node).merged())));
        record.put("HTTPAddr", address.hostAndPort().orElse(""));
        record.put("TLSEnabled", address.tls());
        record.set("NodeResources", nodeResources(node));
        record.set("ReservedResources", reservedResources());
        ObjectNode registered = record.putArray("Events").addObject();
        registered.put("Message", "Node registered");
        registered.put("Subsystem", "Cluster");
        registered.putNull("Details");
        registered.put("Timestamp", registeredAt.toString());
        registered.put("CreateIndex", REGISTRATION_INDEX);
        record.put("StatusUpdatedAt", registeredAt.getEpochSecond());
        return record;
    }

    /** Nomad's {@code NodeResources}, from the fingerprint: cores and memory; no devices, no fingerprinted disk. */
    private ObjectNode nodeResources(NodeInfo node) {
        ObjectNode resources = mapper.createObjectNode();
        ObjectNode cpu = resources.putObject("Cpu");
        cpu.put("CpuShares", 0);
        cpu.put("TotalCpuCores", attributeNumber(node, "cpu.numcores"));
        cpu.putArray("ReservableCpuCores");
        resources.putObject("Memory").put("MemoryMB", attributeNumber(node, "memory.totalbytes") / MIB);
        resources.putObject("Disk").put("DiskMB", 0);
        resources.putArray("Networks");
        resources.putArray("Devices");
        resources.put("MinDynamicPort", 20000);
        resources.put("MaxDynamicPort", 32000);
        return resources;
    }

    /** Nomad's {@code NodeReservedResources}: this agent reserves nothing. */
    private ObjectNode reservedResources() {
        ObjectNode reserved = mapper.createObjectNode();
        reserved.putObject("Cpu").put("CpuShares", 0);
        reserved.putObject("Memory").put("MemoryMB", 0);
        reserved.putObject("Disk").put("DiskMB", 0);
        reserved.putObject("Networks").put("ReservedHostPorts", "");
        return reserved;
    }

    private static long attributeNumber(NodeInfo node, String name) {
        try {
            return Long.parseLong(node.attributes().getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * @param node a node
     * @return the fields Nomad's {@code NodeListStub} has
     */
    public ObjectNode stub(NodeInfo node) {
        ObjectNode record = mapper.createObjectNode();
        record.put("ID", node.id());
        record.put("Name", node.name());
        record.put("Datacenter", node.datacenter());
        record.put("NodeClass", node.nodeClass());
        record.put("NodePool", node.nodePool());
        record.put("Status", node.status());
        record.put("StatusDescription", "");
        record.put("Drain", false);
        record.put("SchedulingEligibility", "eligible");
        record.set("Drivers", drivers(node));
        // Nomad's stub reads these two from the fingerprint
        record.put("Address", node.attributes().getOrDefault("unique.network.ip-address", ""));
        record.put("Version", node.attributes().getOrDefault("nomad.version", ""));
        record.put("CreateIndex", REGISTRATION_INDEX);
        record.put("ModifyIndex", REGISTRATION_INDEX);
        return record;
    }

    /** Nomad's {@code Drivers}: each driver's {@code DriverInfo}, as the agent's last fingerprint found it. */
    private ObjectNode drivers(NodeInfo node) {
        ObjectNode drivers = mapper.createObjectNode();
        new TreeMap<>(node.drivers()).forEach((name, driver) -> {
            ObjectNode info = drivers.putObject(name);
            info.set("Attributes", mapper.valueToTree(new TreeMap<>(driver.attributes())));
            info.put("Detected", driver.detected());
            info.put("Healthy", driver.healthy());
            info.put("HealthDescription", driver.healthDescription());
            info.put("UpdateTime", driver.updateTime().toString());
        });
        return drivers;
    }
}
