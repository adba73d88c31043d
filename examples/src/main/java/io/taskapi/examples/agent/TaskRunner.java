package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.TaskSpec;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task of an allocation, start to end: its directories, its identity (signed, then put in the environment
 * and/or {@code secrets/nomad_token}), its environment and interpolated config, the driver's start (or, after an agent
 * restart, its recovery), its exits and the restarts its policy allows. The driver requests the task's socket through
 * the launch; a restart asks again for the same task and gets the same socket. Once the task is done for good (or
 * failed to start) the runner tells the Task API to release its socket, as Nomad's {@code api_hook} closes it when the
 * task stops.
 */
final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    /** The default identity's file in the secrets directory, as Nomad names it. */
    static final String TOKEN_FILE = "nomad_token";

    private final JobSpec job;
    private final TaskSpec task;
    private final int allocIndex;
    private final Allocation allocation;
    private final TaskDriver driver;
    private final TaskDirLayout dirs;
    private final WorkloadIdentitySigner signer;
    private final DeferredTaskApi sockets;
    private final String datacenter;
    private final Map<String, String> nodeVariables;

    private final RestartTracker restarts;

    private RunningTask running;
    private boolean stopRequested;
    private Optional<String> identity; // null until signed

    TaskRunner(JobSpec job, TaskSpec task, int allocIndex, Allocation allocation, TaskDriver driver,
               TaskDirLayout dirs, WorkloadIdentitySigner signer, DeferredTaskApi sockets, String datacenter,
               Map<String, String> nodeVariables, RestartTracker restarts) {
        this.job = requireNonNull(job, "job is null");
        this.task = requireNonNull(task, "task is null");
        this.allocIndex = allocIndex;
        this.allocation = requireNonNull(allocation, "allocation is null");
        this.driver = requireNonNull(driver, "driver is null");
        this.dirs = requireNonNull(dirs, "dirs is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.datacenter = requireNonNull(datacenter, "datacenter is null");
        this.nodeVariables = requireNonNull(nodeVariables, "nodeVariables is null");
        this.restarts = requireNonNull(restarts, "restarts is null");
    }

    /**
     * Starts the task, restarts it as its policy says, and waits for it to end for good.
     *
     * @return the allocation's status once this task is over
     */
    Allocation.ClientStatus run() {
        return supervise(Optional.empty());
    }

    /**
     * Finds the task again after an agent restart, through its driver and the handle it gave, then goes on as
     * {@link #run()} does (it may still be restarted by its policy).
     *
     * @param handle the handle stored when the task started
     * @return the allocation's status once this task is over
     */
    Allocation.ClientStatus recover(TaskHandle handle) {
        return supervise(Optional.of(handle));
    }

    private Allocation.ClientStatus supervise(Optional<TaskHandle> recovering) {
        TaskRef ref = new TaskRef(allocation.id(), job.namespace(), job.id(), allocation.group(), task.name());
        try {
            Optional<TaskHandle> handle = recovering;
            boolean first = recovering.isEmpty();
            while (true) {
                Attempt attempt = handle.isPresent() ? recoverOnce(ref, handle.get()) : startOnce(ref, first);
                handle = Optional.empty();
                first = false;
                if (attempt.over().isPresent()) {
                    return attempt.over().get();
                }
                TaskExit exit = awaitExit(attempt.task());
                LOG.info("task {} of allocation {} exited with code {}", task.name(), allocation.id(),
                        exit.exitCode());
                // A task the agent stopped on purpose is over, however it ended; otherwise its policy decides.
                RestartTracker.Decision decision = restarts.next(exit.exitCode(), stopRequested());
                if (decision.action() != RestartTracker.Decision.Action.RESTART) {
                    // Released before the status says the task is over, so that whoever sees that status finds
                    // the socket gone (the finally below then has nothing left to do).
                    sockets.release(ref);
                    return allocation.exited(task.name(), exit.exitCode(), exit.killed(),
                            decision.action() == RestartTracker.Decision.Action.FAIL
                                    ? Optional.of(decision.displayMessage()) : Optional.empty());
                }
                allocation.restarting(task.name(), exit.exitCode(), exit.killed(), decision.displayMessage());
                if (!waitUnlessStopped(decision.delay())) {
                    return allocation.failedToStart(task.name(), "Task stopped before it restarted");
                }
            }
        } catch (RuntimeException e) {
            // A driver's stop that threw, a state write that failed (a full disk): the task must not outlive its
            // socket, released below, nor leave its allocation running forever.
            LOG.error("task {} of allocation {} failed: {}", task.name(), allocation.id(), e.toString());
            stopQuietly();
            return allocation.failedToStart(task.name(), "Task failed: " + e.getClass().getSimpleName());
        } finally {
            // The task is done for good (or never ran): its socket goes, as Nomad's api_hook closes it at the task's
            // end. Restarts keep it: the loop above never leaves between attempts.
            sockets.release(ref);
        }
    }

    /** One start or recovery: the running task, or the allocation's status when it never ran. */
    private record Attempt(RunningTask task, Optional<Allocation.ClientStatus> over) {
        static Attempt running(RunningTask task) {
            return new Attempt(task, Optional.empty());
        }

        static Attempt over(Allocation.ClientStatus status) {
            return new Attempt(null, Optional.of(status));
        }
    }

    private Attempt startOnce(TaskRef ref, boolean first) {
        String name = task.name();
        RunningTask started;
        try {
            if (stopRequested()) {
                return Attempt.over(allocation.failedToStart(name, "Task stopped before it started"));
            }
            if (first) {
                // Once per task, as Nomad builds the directory and writes the identity once: a restart keeps both,
                // so the task has the same identity (the same token) in every attempt.
                allocation.event(name, "Task Setup", "Building Task Directory");
                dirs.create(task.user());
                if (task.identity().file()) {
                    writeTokenFile(dirs.secretsDir().resolve(TOKEN_FILE), identity(ref).orElseThrow(), task.user());
                }
            }
            TaskLaunch launch = launch(ref, identity(ref));
            allocation.event(name, "Driver", "Starting with driver " + driver.name());
            started = driver.start(launch);
        } catch (TaskDriverException | TaskEnvironment.InterpolationException e) {
            return Attempt.over(fail(name, e.getMessage()));
        } catch (IOException e) {
            return Attempt.over(fail(name, "task setup failed: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("task {} of allocation {} could not start", name, allocation.id(), e);
            return Attempt.over(fail(name, "task setup failed: " + e.getClass().getSimpleName()));
        }
        return track(started, () -> allocation.started(name, started.handle()));
    }

    /** @return the task's identity, signed once for all its attempts; empty when the task asked for none */
    private synchronized Optional<String> identity(TaskRef ref) {
        if (identity == null) {
            identity = task.identity().env() || task.identity().file() ? Optional.of(signer.sign(ref))
                    : Optional.empty();
        }
        return identity;
    }

    private Attempt recoverOnce(TaskRef ref, TaskHandle handle) {
        String name = task.name();
        RunningTask found;
        try {
            // The same launch as at start. The identity in it is signed anew and kept for later restarts; the running
            // process keeps its own, which stays valid now that its allocation is live again.
            found = driver.recover(launch(ref, identity(ref)), handle);
        } catch (TaskDriverException | TaskEnvironment.InterpolationException e) {
            LOG.warn("task {} of allocation {} could not be recovered: {}", name, allocation.id(), e.getMessage());
            return Attempt.over(allocation.recoveryFailed(name, "Task could not be recovered: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("task {} of allocation {} could not be recovered", name, allocation.id(), e);
            return Attempt.over(allocation.recoveryFailed(name, "Task could not be recovered: "
                    + e.getClass().getSimpleName()));
        }
        LOG.info("task {} of allocation {} recovered: {}", name, allocation.id(), found.id());
        return track(found, () -> allocation.recovered(name, found.handle()));
    }

    /**
     * Records the task as running (on disk, with its handle, before anyone is told), then stops it at once if a stop
     * came meanwhile. A task whose record cannot be written is stopped: it could not be recovered.
     */
    private Attempt track(RunningTask running, Runnable record) {
        boolean stopNow;
        synchronized (this) {
            this.running = running;
            stopNow = stopRequested || allocation.stopRequested();
        }
        try {
            record.run();
        } catch (UncheckedIOException e) {
            LOG.error("task {} of allocation {}: cannot record its state, stopping it: {}", task.name(),
                    allocation.id(), e.getMessage());
            synchronized (this) {
                stopRequested = true; // not to be restarted either
            }
            stopNow = true;
        }
        if (stopNow) {
            running.stop(JobScheduler.STOP_GRACE);
        }
        return Attempt.running(running);
    }

    private TaskLaunch launch(TaskRef ref, Optional<String> token) throws TaskEnvironment.InterpolationException {
        TaskEnvironment env = TaskEnvironment.build(job, task, ref, allocIndex, dirs, driver.isolation(), datacenter,
                task.identity().env() ? token : Optional.empty(), nodeVariables);
        Map<String, Object> config = env.interpolateConfig(task.config());
        return TaskLaunch.builder(ref).taskDir(dirs.taskDir()).secretsDir(dirs.secretsDir()).config(config)
                .environment(env.variables()).user(task.user()).sockets(sockets).build();
    }

    /** Waits for the task's end; a driver whose exit fails or cannot be waited for gets its task stopped. */
    private TaskExit awaitExit(RunningTask started) {
        try {
            return awaitDriverExit(started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.stop(Duration.ZERO);
            return TaskExit.killed(137);
        } catch (ExecutionException | RuntimeException e) {
            // Stop the task anyway, since its socket is released next and a task must not outlive its API.
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("task {} of allocation {} ended abnormally: {}", task.name(), allocation.id(),
                    cause.getClass().getSimpleName());
            if (cause instanceof TaskDriverException) {
                // The driver's own words (the docker engine stopped under the task, say): never a secret.
                allocation.event(task.name(), "Driver Failure", cause.getMessage());
            }
            started.stop(JobScheduler.STOP_GRACE);
            return TaskExit.killed(-1);
        }
    }

    /** @return false when a stop came during the delay */
    private synchronized boolean waitUnlessStopped(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            while (!stopRequested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    running = null;
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** @return whether this task or its whole allocation was asked to stop */
    private synchronized boolean stopRequested() {
        return stopRequested || allocation.stopRequested();
    }

    /** Stops the running task, if any, after a failure; a stop that fails too is logged. */
    private void stopQuietly() {
        RunningTask current;
        synchronized (this) {
            stopRequested = true;
            current = running;
        }
        if (current != null) {
            try {
                current.stop(JobScheduler.STOP_GRACE);
            } catch (RuntimeException e) {
                LOG.error("task {} of allocation {} could not be stopped: {}", task.name(), allocation.id(),
                        e.toString());
            }
        }
    }

    /**
     * At a graceful agent stop outside {@code -dev}: a task its driver cannot recover (no handle) is stopped now,
     * since no later start of the agent could find it; a recoverable one is left running.
     */
    void stopUnlessRecoverable() {
        RunningTask current;
        synchronized (this) {
            current = running;
        }
        if (current != null && current.handle().isEmpty()) {
            stop(JobScheduler.STOP_GRACE);
        }
    }

    /**
     * Waits for the driver's exit through {@code whenComplete}: a third party's
     * {@link java.util.concurrent.CompletionStage} need not support {@code toCompletableFuture()}.
     */
    private static TaskExit awaitDriverExit(RunningTask task) throws InterruptedException, ExecutionException {
        CompletableFuture<TaskExit> exit = new CompletableFuture<>();
        requireNonNull(task.exit(), "the driver's exit() is null").whenComplete((ended, failure) -> {
            if (failure != null) {
                exit.completeExceptionally(failure);
            } else if (ended == null) {
                exit.completeExceptionally(new NullPointerException("the driver's exit completed with null"));
            } else {
                exit.complete(ended);
            }
        });
        return exit.get();
    }

    /** @return the task's name in its group */
    String name() {
        return task.name();
    }

    /** @return how the task's driver isolates it */
    FilesystemIsolation isolation() {
        return driver.isolation();
    }

    /** @return the task as it runs now, if it runs (between restarts it does not) */
    synchronized Optional<RunningTask> running() {
        return Optional.ofNullable(running);
    }

    /**
     * Stops the task if it runs, or keeps it from starting; returns once it has ended.
     *
     * @param grace how long it may take to end by itself
     */
    void stop(Duration grace) {
        RunningTask current;
        synchronized (this) {
            stopRequested = true;
            current = running;
            notifyAll(); // ends a wait between restarts
        }
        if (current != null) {
            current.stop(grace);
        }
    }

    private Allocation.ClientStatus fail(String name, String message) {
        LOG.warn("task {} of allocation {} failed to start: {}", name, allocation.id(), message);
        return allocation.failedToStart(name, message);
    }

    /**
     * Writes the identity where only the task's user (and root) can read it: created {@code 0600} in one step, in a
     * directory the task cannot write, then given to the user.
     */
    private static void writeTokenFile(Path file, String token, Optional<String> user) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, token.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
        if (user.isPresent()) {
            Files.setOwner(file, TaskDirLayout.lookup(user.get()));
        }
    }
}
