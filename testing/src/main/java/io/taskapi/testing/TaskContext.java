package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.TaskLaunch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link TaskBody} sees: the launch, the environment the driver built (the launch's plus the socket mount's
 * {@code NOMAD_SECRETS_DIR} and {@code NOMAD_UNIX_ADDR}), the socket, a client connected to it, and whether the
 * driver asked the task to stop.
 */
public final class TaskContext {
    private final TaskLaunch launch;
    private final SocketMount mount;
    private final Map<String, String> environment;
    private final UnixHttpClient client;
    private final CountDownLatch stopRequested;

    TaskContext(TaskLaunch launch, SocketMount mount, Map<String, String> environment, UnixHttpClient client,
                CountDownLatch stopRequested) {
        this.launch = requireNonNull(launch, "launch is null");
        this.mount = requireNonNull(mount, "mount is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.client = requireNonNull(client, "client is null");
        this.stopRequested = requireNonNull(stopRequested, "stopRequested is null");
    }

    /** @return the launch the driver was given */
    public TaskLaunch launch() {
        return launch;
    }

    /** @return which task this is */
    public TaskRef task() {
        return launch.task();
    }

    /** @return the task's environment: the launch's variables plus the socket mount's */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return the socket file on the host */
    public Path socketPath() {
        return mount.hostPath();
    }

    /** @return where the task would see the socket under the driver's isolation */
    public Path taskSocketPath() {
        return mount.taskPath();
    }

    /** @return the socket mount the driver opened */
    public SocketMount mount() {
        return mount;
    }

    /**
     * @return a client for the task's socket (through a short link when the path is long); the driver closes it when
     *     the task ends
     */
    public UnixHttpClient client() {
        return client;
    }

    /** @return whether the driver asked the task to stop */
    public boolean stopRequested() {
        return stopRequested.getCount() == 0;
    }

    /**
     * Blocks until the driver asks the task to stop.
     *
     * @throws InterruptedException when the thread is interrupted, which happens when a stop's grace period ends
     */
    public void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /**
     * @param timeout the longest to wait
     * @return whether a stop was asked for within it
     * @throws InterruptedException when the thread is interrupted
     */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopRequested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "TaskContext[" + launch.task() + ", socket=" + mount.hostPath() + "]";
    }
}
