package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.driver.TaskLogs;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running container. A daemon thread waits for it ({@code POST /containers/{id}/wait}); when it ends, its output is
 * appended to the task's logs and it is removed, and only then {@link #exit()} completes.
 *
 * <p>Thread-safe.
 */
final class ContainerTask implements RunningTask {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerTask.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final int SIGKILL_EXIT = 128 + 9;
    /** Exit code reported when the engine no longer knows the container, so its real one is lost. */
    static final int UNKNOWN_EXIT = 255;

    private final DockerEngine engine;
    private final TaskRef task;
    private final String id;
    private final TaskLogs logs;
    private final CompletableFuture<TaskExit> exit = new CompletableFuture<>();
    private final AtomicBoolean sentKill = new AtomicBoolean();

    private ContainerTask(DockerEngine engine, TaskRef task, String id, TaskLogs logs) {
        this.engine = requireNonNull(engine, "engine is null");
        this.task = requireNonNull(task, "task is null");
        this.id = requireNonNull(id, "id is null");
        this.logs = requireNonNull(logs, "logs is null");
    }

    /** The handle's format: {@value #CONTAINER_ID} is the container's id. */
    static final int HANDLE_VERSION = 1;
    static final String CONTAINER_ID = "container.id";

    /** A container that was started (or found running again after an agent restart): a thread waits for it. */
    static ContainerTask watch(DockerEngine engine, TaskRef task, String id, TaskLogs logs) {
        ContainerTask running = new ContainerTask(engine, task, id, logs);
        Thread waiter = new Thread(running::awaitContainer, "docker-wait-" + DockerDriver.shortId(id));
        waiter.setDaemon(true);
        waiter.start();
        return running;
    }

    /**
     * A container that ended while the agent was down: its output is copied and it is removed, as after any end, and
     * the exit is complete when this returns.
     */
    static ContainerTask ended(DockerEngine engine, TaskRef task, String id, TaskLogs logs, int code) {
        ContainerTask ended = new ContainerTask(engine, task, id, logs);
        ended.finish(code);
        return ended;
    }

    /** @return the container's id (driver {@code docker}, version 1): the engine keeps containers past the agent */
    @Override
    public Optional<TaskHandle> handle() {
        return Optional.of(TaskHandle.of(DockerDriver.NAME, HANDLE_VERSION, Map.of(CONTAINER_ID, id)));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletionStage<TaskExit> exit() {
        return exit.minimalCompletionStage();
    }

    /**
     * SIGTERM through the engine, SIGKILL after the grace period (explicit kills rather than {@code /stop}, so that
     * the driver knows whether it had to kill).
     *
     * @throws IllegalStateException when the engine cannot be reached, or the container does not end
     */
    @Override
    public void stop(Duration grace) {
        requireNonNull(grace, "grace is null");
        if (exit.isDone()) {
            return;
        }
        try {
            engine.kill(id, "SIGTERM");
            if (!awaitExit(grace.isNegative() ? Duration.ZERO : grace)) {
                sentKill.set(true);
                engine.kill(id, "SIGKILL");
            }
        } catch (IOException e) {
            throw new IllegalStateException("docker task " + task.taskName() + ": cannot stop container "
                    + DockerDriver.shortId(id) + ": " + e.getMessage(), e);
        }
        if (!awaitExit(KILL_WAIT)) {
            throw new IllegalStateException("docker task " + task.taskName() + ": container "
                    + DockerDriver.shortId(id) + " did not end " + KILL_WAIT.toSeconds() + "s after SIGKILL");
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The waiting thread: wait (retrying while the engine is away), then clean up and report. */
    private void awaitContainer() {
        int code = UNKNOWN_EXIT;
        long backoffMillis = 250;
        while (true) {
            try {
                code = engine.waitForExit(id);
                break;
            } catch (DockerEngine.EngineError e) {
                if (e.status() == 404) {
                    LOG.warn("docker task {}: container {} vanished; its exit code is unknown", task.taskName(),
                            DockerDriver.shortId(id));
                    break;
                }
                LOG.warn("docker task {}: waiting for container {} failed: {}", task.taskName(),
                        DockerDriver.shortId(id), e.getMessage());
            } catch (IOException e) {
                LOG.warn("docker task {}: waiting for container {} failed: {}", task.taskName(),
                        DockerDriver.shortId(id), e.getMessage());
                try {
                    Optional<Integer> stopped = engine.exitCodeIfStopped(id);
                    if (stopped.isPresent()) {
                        code = stopped.get();
                        break;
                    }
                } catch (IOException inspectFailure) {
                    // the engine is away: retry below
                }
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoffMillis = Math.min(backoffMillis * 2, 10_000);
        }
        finish(code);
    }

    private void finish(int code) {
        boolean killed = sentKill.get() && code == SIGKILL_EXIT;
        try (OutputStream stdout = Files.newOutputStream(logs.stdout(), StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
             OutputStream stderr = Files.newOutputStream(logs.stderr(), StandardOpenOption.APPEND,
                        LinkOption.NOFOLLOW_LINKS)) {
            engine.copyLogs(id, stdout, stderr);
        } catch (IOException | RuntimeException e) {
            LOG.warn("docker task {}: cannot copy the output of container {}: {}", task.taskName(),
                    DockerDriver.shortId(id), e.getMessage());
        }
        try {
            engine.remove(id);
        } catch (IOException | RuntimeException e) {
            LOG.warn("docker task {}: cannot remove container {}: {}", task.taskName(), DockerDriver.shortId(id),
                    e.getMessage());
        }
        LOG.info("docker task {} (alloc {}) ended: container {}, exit code {}{}", task.taskName(),
                task.allocationId(), DockerDriver.shortId(id), code, killed ? " (killed)" : "");
        exit.complete(killed ? TaskExit.killed(code) : TaskExit.exited(code));
    }

    @Override
    public String toString() {
        return "ContainerTask[" + task.taskName() + ", " + DockerDriver.shortId(id) + "]";
    }
}
