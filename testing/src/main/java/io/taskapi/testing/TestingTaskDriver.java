package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.spi.driver.SocketRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake task driver named {@code "testing"} that runs each task as a {@link TaskBody} on a daemon thread. It does what
 * the SPI asks of a real driver: it asks for the task's socket with {@link TaskLaunch#apiSocket} (its isolation and the
 * launch's user) and adds the mount's environment to the task's. Like every driver, it never closes the socket: a
 * restarted task gets the same one back, and the agent releases it when the task is done for good.
 *
 * <p>It is deliberately not registered as a {@link java.util.ServiceLoader} service (it would show up in real
 * agents): construct it.
 *
 * <pre>{@code
 * TestingTaskDriver driver = new TestingTaskDriver(task -> task.client().get("/v1/client/metadata").send().status());
 * TestingRunningTask running = driver.start(launch);
 * assertThat(running.awaitExit(Duration.ofSeconds(10)).exitCode()).isEqualTo(403);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestingTaskDriver implements TaskDriver {
    /** The driver's name. */
    public static final String NAME = "testing";

    private final FilesystemIsolation isolation;
    private final TaskBody body;
    private final AtomicLong ids = new AtomicLong();
    private final List<TaskLaunch> launches = new CopyOnWriteArrayList<>();
    private final List<SocketRequest> socketRequests = new CopyOnWriteArrayList<>();
    private final List<TestingRunningTask> started = new CopyOnWriteArrayList<>();

    /** @param body what every task this driver starts does; isolation is {@link FilesystemIsolation#NONE} */
    public TestingTaskDriver(TaskBody body) {
        this(FilesystemIsolation.NONE, body);
    }

    /**
     * @param isolation the isolation the driver claims, which decides the path the task is told
     * @param body what every task this driver starts does
     */
    public TestingTaskDriver(FilesystemIsolation isolation, TaskBody body) {
        this.isolation = requireNonNull(isolation, "isolation is null");
        this.body = requireNonNull(body, "body is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilesystemIsolation isolation() {
        return isolation;
    }

    /**
     * Opens the socket, then starts the body on its own thread.
     *
     * @throws TaskDriverException when the socket cannot be opened (the cause is the Task API's
     *     {@link io.taskapi.spi.driver.SocketUnavailableException}) or a client for it cannot be made
     */
    @Override
    public TestingRunningTask start(TaskLaunch launch) throws TaskDriverException {
        requireNonNull(launch, "launch is null");
        launches.add(launch);
        SocketNeeds needs = launch.user().map(SocketNeeds.of(isolation)::withUser).orElse(SocketNeeds.of(isolation));
        socketRequests.add(SocketRequest.of(launch.task(), launch.secretsDir(), needs));
        SocketMount mount = launch.apiSocket(needs);
        UnixHttpClient client;
        try {
            client = UnixHttpClient.forSocket(mount.hostPath());
        } catch (IOException | RuntimeException e) {
            throw new TaskDriverException("cannot make a client for " + mount.hostPath(), e);
        }
        Map<String, String> environment = launch.environmentWith(mount);
        TestingRunningTask task = new TestingRunningTask(NAME + "-" + ids.incrementAndGet(), launch, mount,
                environment, client, body);
        started.add(task);
        task.start();
        return task;
    }

    /** @return every launch {@link #start} was given, in order, including ones that failed */
    public List<TaskLaunch> launches() {
        return List.copyOf(launches);
    }

    /** @return every socket request the driver made (through its launch), in order */
    public List<SocketRequest> socketRequests() {
        return List.copyOf(socketRequests);
    }

    /** @return every task started, in order */
    public List<TestingRunningTask> started() {
        return List.copyOf(started);
    }

    @Override
    public String toString() {
        return "TestingTaskDriver[isolation=" + isolation + ", started=" + started.size() + "]";
    }
}
