package io.taskapi.plugin.http;

import java.util.List;

/**
 * The routes of one API area (agent, ACL, nodes, variables, the agent's own), bound in a Guice multibinder set that
 * the {@link Router} reads. Adding a route is adding it to its area's group.
 */
@FunctionalInterface
public interface RouteGroup {
    /** @return the area's routes */
    List<Route> routes();
}
