package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.socket.TaskSocketRegistry;
import io.taskapi.plugin.socket.UnixSocketConnector;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running Task API of one agent: one Jetty server, one connector for every task socket. Closing it closes
 * everything the Task API opened, through the {@link Lifecycle}, in reverse order of creation.
 */
final class TaskApiServer implements TaskApi {
    private static final Logger LOG = LoggerFactory.getLogger(TaskApiServer.class);

    private final Server server;
    private final TaskSocketRegistry sockets;
    private final Lifecycle lifecycle;
    private boolean closed;

    @Inject
    TaskApiServer(Server server, UnixSocketConnector connector, TaskSocketRegistry sockets, Lifecycle lifecycle) {
        this.server = requireNonNull(server, "server is null");
        requireNonNull(connector, "connector is null"); // injected so that it is added to the server before start
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
    }

    /** The start step: the server's threads and listeners start here, never while the injector builds. */
    void start() {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new UncheckedIOException("the Task API server did not start: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        LOG.info("Task API started");
    }

    @Override
    public SocketMount openSocket(SocketRequest request) throws SocketUnavailableException {
        return sockets.openSocket(request);
    }

    @Override
    public void release(TaskRef task) {
        sockets.release(task);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        lifecycle.close();
        LOG.info("Task API stopped");
    }
}
