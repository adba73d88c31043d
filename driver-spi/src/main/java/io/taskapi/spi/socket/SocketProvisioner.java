package io.taskapi.spi.socket;

/** What a driver calls to get a task's API socket. The running {@link io.taskapi.spi.TaskApi} is one. */
@FunctionalInterface
public interface SocketProvisioner {
    /**
     * Opens the task's socket at {@code <hostSecretsDir>/api.sock}, or returns the one already open for the same task
     * (a task restart). A stale file at that path is replaced.
     *
     * @param request which task, where, and for which user
     * @return the open socket
     * @throws SocketUnavailableException when the socket cannot be made as requested; nothing is left behind
     */
    SocketMount openSocket(SocketRequest request) throws SocketUnavailableException;
}
