package io.taskapi.examples.agent;

import io.taskapi.spi.socket.SocketMount;
import io.taskapi.spi.socket.SocketProvisioner;
import io.taskapi.spi.socket.SocketRequest;
import io.taskapi.spi.socket.SocketUnavailableException;

/**
 * The Task API as drivers see it, set once the plugin has started. The plugin needs the agent's routes to start and
 * the routes need the scheduler, which hands this to drivers: this breaks that cycle.
 */
final class DeferredSocketProvisioner implements SocketProvisioner {
    private volatile SocketProvisioner delegate;

    void set(SocketProvisioner delegate) {
        this.delegate = delegate;
    }

    @Override
    public SocketMount openSocket(SocketRequest request) throws SocketUnavailableException {
        SocketProvisioner current = delegate;
        if (current == null) {
            throw new SocketUnavailableException(SocketUnavailableException.Reason.CLOSED,
                    "the Task API has not started");
        }
        return current.openSocket(request);
    }
}
