package io.taskapi.spi.api;

/**
 * What the caller of an {@link AgentRoute} may do in a namespace, checked against its policies as the route's own
 * {@link AgentPermission} is. For a route that shows objects of several namespaces and, as Nomad does, leaves out
 * those the caller may not read (a node's allocations need {@code node:read}, and each allocation {@code read-job}
 * in its namespace). Since SPI 1.2.
 */
@FunctionalInterface
public interface CallerAccess {
    /** Allows nothing: what a request made without the caller's policies gets, so that it fails closed. */
    CallerAccess NONE = (namespace, capability) -> false;

    /**
     * @param namespace a namespace
     * @param capability a namespace capability, such as {@code read-job}
     * @return whether the caller's policies allow it there
     * @throws IllegalArgumentException when the capability is not one of Nomad's
     */
    boolean allows(String namespace, String capability);
}
