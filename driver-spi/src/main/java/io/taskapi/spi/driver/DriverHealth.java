package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a driver found about itself on this node (Nomad's {@code DriverInfo}): whether what it needs is there
 * (detected), whether it can run tasks now (healthy), why, and attributes such as a version. The agent publishes it
 * in the node's {@code Drivers} and places no task on a driver that is not healthy.
 */
public final class DriverHealth {
    private final boolean detected;
    private final boolean healthy;
    private final String description;
    private final Map<String, String> attributes;

    private DriverHealth(boolean detected, boolean healthy, String description, Map<String, String> attributes) {
        this.detected = detected;
        this.healthy = healthy;
        this.description = requireNonNull(description, "description is null");
        this.attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
    }

    /**
     * @param description what is healthy, for operators ({@code "Healthy"})
     * @return a driver that can run tasks
     */
    public static DriverHealth healthy(String description) {
        return new DriverHealth(true, true, description, Map.of());
    }

    /**
     * @param description what is wrong, for operators ({@code "Docker engine at /run/docker.sock: connection
     *     refused"}); never a secret
     * @return a driver that is present but cannot run tasks now
     */
    public static DriverHealth unhealthy(String description) {
        return new DriverHealth(true, false, description, Map.of());
    }

    /**
     * @param description what is missing, for operators
     * @return a driver whose prerequisites are not on this node at all
     */
    public static DriverHealth undetected(String description) {
        return new DriverHealth(false, false, description, Map.of());
    }

    /**
     * @param attributes attributes to publish, such as {@code driver.docker.version}; never secrets
     * @return this health with them
     */
    public DriverHealth withAttributes(Map<String, String> attributes) {
        return new DriverHealth(detected, healthy, description, attributes);
    }

    /** @return whether the driver's prerequisites are on this node */
    public boolean detected() {
        return detected;
    }

    /** @return whether it can run tasks now */
    public boolean healthy() {
        return healthy;
    }

    /** @return why, for operators */
    public String description() {
        return description;
    }

    /** @return the attributes it publishes */
    public Map<String, String> attributes() {
        return attributes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriverHealth other && detected == other.detected && healthy == other.healthy
                && description.equals(other.description) && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return ((Boolean.hashCode(detected) * 31 + Boolean.hashCode(healthy)) * 31 + description.hashCode()) * 31
                + attributes.hashCode();
    }

    @Override
    public String toString() {
        return "DriverHealth[detected=" + detected + ", healthy=" + healthy + ", " + description + ", "
                + new TreeMap<>(attributes) + "]";
    }
}
