package io.taskapi.spi;

import io.taskapi.spi.driver.SocketProvisioner;
import io.taskapi.spi.driver.TaskRef;

/**
 * A running Task API: it opens a socket per task and serves the agent's HTTP API on every one of them.
 *
 * <p>A task's socket lives as long as the task, as in Nomad's {@code api_hook}: {@link #openSocket} opens it on the
 * task's first start and returns the same live socket on every restart; the agent calls {@link #release} when the task
 * is done for good (it will not run again), and {@link #close()} closes every socket at agent shutdown.
 */
public interface TaskApi extends SocketProvisioner, AutoCloseable {
    /**
     * The task is done for good (stopped, not restarting): closes its socket and removes its file. Connections to it
     * end. Does nothing if the task has no socket. Never call it between restarts: the task would lose its API.
     *
     * @param task the task
     */
    void release(TaskRef task);

    /** Closes every task socket and stops serving. Safe to call more than once. */
    @Override
    void close();
}
