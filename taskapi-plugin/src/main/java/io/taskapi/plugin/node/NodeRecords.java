package io.taskapi.plugin.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.TreeMap;

/**
 * Builds a node's record as Nomad's {@code structs.Node} shows it, with dynamic metadata merged into {@code Meta}:
 * the full record is what {@code /v1/node/:id} returns and what {@code ?filter=} expressions are evaluated against.
 */
public final class NodeRecords {
    private final NodeMetadataService metadata;
    private final ObjectMapper mapper;

    /**
     * @param metadata each node's merged metadata
     * @param mapper builds the JSON
     */
    @Inject
    public NodeRecords(NodeMetadataService metadata, ObjectMapper mapper) {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
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
        return record;
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
