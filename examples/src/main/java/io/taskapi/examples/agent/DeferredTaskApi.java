package io.taskapi.examples.agent;

import io.taskapi.spi.TaskApi;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketProvisioner;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException;

/**
 * The Task API as the scheduler sees it, set once the plugin has started. The plugin needs the agent's routes to start
 * and the routes need the scheduler, which hands this to the launches it builds: this breaks that cycle.
 */
final class DeferredTaskApi implements SocketProvisioner {
    private volatile TaskApi delegate;

    void set(TaskApi delegate) {
        this.delegate = delegate;
    }

    @Override
    public SocketMount openSocket(SocketRequest request) throws SocketUnavailableException {
        TaskApi current = delegate;
        if (current == null) {
            throw new SocketUnavailableException(SocketUnavailableException.Reason.CLOSED,
                    "the Task API has not started");
        }
        return current.openSocket(request);
    }

    /**
     * The task is done for good: the Task API closes its socket (see {@link TaskApi#release}).
     *
     * @param task the task
     */
    void release(TaskRef task) {
        TaskApi current = delegate;
        if (current != null) {
            current.release(task);
        }
    }
}
