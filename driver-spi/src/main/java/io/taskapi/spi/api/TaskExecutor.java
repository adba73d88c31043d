package io.taskapi.spi.api;

/**
 * How the plugin reaches the agent's running tasks to serve Nomad's {@code alloc exec}
 * ({@code GET /v1/client/allocation/:alloc_id/exec}), passed in {@link io.taskapi.spi.AgentContext#exec()}. The
 * plugin authenticates the operator, finds the task here, checks the operator's capabilities in the allocation's
 * namespace ({@code alloc-exec}, and {@code alloc-node-exec} for a task without filesystem isolation), upgrades the
 * connection to a WebSocket and only then starts the command.
 */
@FunctionalInterface
public interface TaskExecutor {
    /**
     * @param allocationId the allocation's full id
     * @param task the task's name
     * @return the task
     * @throws AgentRouteException 404 for an unknown allocation or task, 400 for a task that is not running
     */
    ExecTarget find(String allocationId, String task) throws AgentRouteException;
}
