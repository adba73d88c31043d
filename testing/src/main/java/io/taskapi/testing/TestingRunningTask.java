package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskLaunch;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task started by {@link TestingTaskDriver}: a {@link TaskBody} on a daemon thread.
 *
 * <p>How it ends, as a process would: the body's return value is the exit code; a body that throws exits with 1 and
 * keeps the throwable ({@link #failure()}). {@link #stop} raises the stop signal ({@link TaskContext#awaitStop()},
 * a SIGTERM) and waits for the grace period; a body still running then is interrupted and the task reported killed
 * with exit code 137 (a SIGKILL; a Java thread cannot be killed, so the daemon thread may run on, but whatever it
 * does then no longer counts). The client is closed before {@link #exit()} completes; the socket stays, since it
 * belongs to the task (the agent releases it when the task is done for good).
 */
public final class TestingRunningTask implements RunningTask {
    /** The exit code of a task that was killed after its grace period (128 + SIGKILL). */
    public static final int KILLED_EXIT_CODE = 137;

    private final String id;
    private final TaskLaunch launch;
    private final SocketMount mount;
    private final Map<String, String> environment;
    private final UnixHttpClient client;
    private final TaskBody body;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CompletableFuture<TaskExit> exit = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Thread thread;
    private volatile Throwable failure;

    TestingRunningTask(String id, TaskLaunch launch, SocketMount mount, Map<String, String> environment,
                       UnixHttpClient client, TaskBody body) {
        this.id = requireNonNull(id, "id is null");
        this.launch = requireNonNull(launch, "launch is null");
        this.mount = requireNonNull(mount, "mount is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.client = requireNonNull(client, "client is null");
        this.body = requireNonNull(body, "body is null");
        this.thread = new Thread(this::run, "testing-task-" + launch.task().taskName() + "-" + id);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        TaskContext context = new TaskContext(launch, mount, environment, client, stopRequested);
        try {
            int code = body.run(context);
            Thread.interrupted();
            finish(TaskExit.exited(code), null);
        } catch (Throwable e) {
            // After a kill this is a no-op: the kill decided the exit first.
            Thread.interrupted();
            finish(TaskExit.exited(1), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletionStage<TaskExit> exit() {
        return exit.minimalCompletionStage(); // callers wait on it; only the task completes it
    }

    /**
     * Raises the stop signal, waits up to {@code grace} for the body to end, then interrupts it and reports the task
     * killed. Returns once {@link #exit()} is complete. Idempotent.
     */
    @Override
    public void stop(Duration grace) {
        requireNonNull(grace, "grace is null");
        stopRequested.countDown();
        try {
            exit.get(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the exit future never fails", e);
        }
    }

    // Decide the exit before interrupting, so that the body's reaction to the interrupt cannot race with it.
    private void kill() {
        finish(TaskExit.killed(KILLED_EXIT_CODE), null);
        thread.interrupt();
    }

    /**
     * Waits for the task to end, for tests.
     *
     * @param timeout the longest to wait
     * @return how it ended
     * @throws AssertionError when it does not end in time, or when the body threw (the throwable is the cause), so
     *     that an assertion that failed inside the task fails the test
     */
    public TaskExit awaitExit(Duration timeout) {
        TaskExit result;
        try {
            result = exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("task " + launch.task().taskName() + " did not end within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for task " + launch.task().taskName(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the exit future never fails", e);
        }
        Throwable thrown = failure;
        if (thrown != null) {
            throw new AssertionError("task " + launch.task().taskName() + " failed: " + thrown, thrown);
        }
        return result;
    }

    /** @return what the body threw, if it failed by itself */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return the launch the driver was given */
    public TaskLaunch launch() {
        return launch;
    }

    /** @return the socket mount the driver got for the task */
    public SocketMount mount() {
        return mount;
    }

    /** @return the environment the task got: the launch's plus the mount's */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return whether {@link #exit()} is complete */
    public boolean isDone() {
        return exit.isDone();
    }

    // First caller wins: the body ending by itself, or stop() giving up on it.
    private void finish(TaskExit result, Throwable thrown) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        failure = thrown;
        try {
            client.close();
        } catch (RuntimeException e) {
            if (thrown == null) {
                failure = e;
            } else {
                thrown.addSuppressed(e);
            }
        } finally {
            exit.complete(result);
        }
    }

    @Override
    public String toString() {
        return "TestingRunningTask[id=" + id + ", task=" + launch.task() + ", exit=" + exit.getNow(null) + "]";
    }
}
