package io.taskapi.spi.driver;


/**
 * Where a {@link io.taskapi.spi.driver.TaskLaunch} gets a task's API socket. The running
 * {@link io.taskapi.spi.TaskApi} is one; an agent hands it to the launches it builds.
 */
@FunctionalInterface
public interface SocketProvisioner {
    /**
     * Opens the task's socket at {@code <hostSecretsDir>/api.sock}, or returns the one already open for the same task
     * (a restart: same socket, its connections intact); a restart must repeat the same request, and one with other
     * needs (another user, another task path) is refused as {@code INVALID_REQUEST}. A stale file at that path is
     * replaced. The socket stays until {@link io.taskapi.spi.TaskApi#release} or {@link io.taskapi.spi.TaskApi#close}.
     *
     * @param request which task, where, and what the driver needs
     * @return the mount
     * @throws SocketUnavailableException when the socket cannot be made as requested (an unsafe secrets directory,
     *     an unknown user...); nothing is left behind
     */
    SocketMount openSocket(SocketRequest request) throws SocketUnavailableException;
}
