package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One task driver of a node as the node shows it (Nomad's {@code DriverInfo}, in a node's {@code Drivers}): what the
 * agent's last fingerprint of the driver found.
 *
 * @param detected whether what the driver needs is on the node
 * @param healthy whether it can run tasks now
 * @param healthDescription why, for operators ({@code "Healthy"}, or what is wrong)
 * @param updateTime when the health last changed
 * @param attributes the driver's attributes, such as {@code driver.docker.version}
 */
public record NodeDriver(boolean detected, boolean healthy, String healthDescription, Instant updateTime,
                         Map<String, String> attributes) {
    /**
     * Copies the attributes and checks that nothing is missing.
     *
     * @param detected see the record component of that name
     * @param healthy see the record component of that name
     * @param healthDescription see the record component of that name
     * @param updateTime see the record component of that name
     * @param attributes see the record component of that name
     */
    public NodeDriver {
        requireNonNull(healthDescription, "healthDescription is null");
        requireNonNull(updateTime, "updateTime is null");
        attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
    }
}
