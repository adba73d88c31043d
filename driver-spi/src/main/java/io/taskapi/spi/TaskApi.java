package io.taskapi.spi;

import io.taskapi.spi.socket.SocketProvisioner;

/**
 * A running Task API: it opens a socket per task and serves the agent's HTTP API on every one of them.
 *
 * <p>{@link #close()} closes and removes every task socket it opened and stops the server. It is idempotent.
 */
public interface TaskApi extends SocketProvisioner, AutoCloseable {
    /** Closes every task socket and stops serving. Safe to call more than once. */
    @Override
    void close();
}
