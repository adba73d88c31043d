package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.TaskSpec;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskLaunch;
import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task of an allocation, start to end: its directories, its identity (signed, then put in the environment
 * and/or {@code secrets/nomad_token}), its environment and interpolated config, the driver's start, and its exit.
 * The driver requests the task's socket through the launch; this agent never restarts a task, so once the task has
 * ended (or failed to start) it is done for good and the runner tells the Task API to release its socket, as Nomad's
 * {@code api_hook} closes it when the task stops.
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

    private RunningTask running;
    private boolean stopRequested;

    TaskRunner(JobSpec job, TaskSpec task, int allocIndex, Allocation allocation, TaskDriver driver,
               TaskDirLayout dirs, WorkloadIdentitySigner signer, DeferredTaskApi sockets, String datacenter,
               Map<String, String> nodeVariables) {
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
    }

    /**
     * Starts the task and waits for it to end.
     *
     * @return the allocation's status once this task is over
     */
    Allocation.ClientStatus run() {
        TaskRef ref = new TaskRef(allocation.id(), job.namespace(), job.id(), allocation.group(), task.name());
        try {
            return runOnce(ref);
        } finally {
            sockets.release(ref); // no restarts here: the task is done for good
        }
    }

    private Allocation.ClientStatus runOnce(TaskRef ref) {
        String name = task.name();
        RunningTask started;
        try {
            synchronized (this) {
                if (stopRequested) {
                    return allocation.failedToStart(name, "Task stopped before it started");
                }
            }
            allocation.event(name, "Task Setup", "Building Task Directory");
            dirs.create(task.user());
            Optional<String> token = task.identity().env() || task.identity().file()
                    ? Optional.of(signer.sign(ref)) : Optional.empty();
            if (task.identity().file()) {
                writeTokenFile(dirs.secretsDir().resolve(TOKEN_FILE), token.orElseThrow(), task.user());
            }
            TaskEnvironment env = TaskEnvironment.build(job, task, ref, allocIndex, dirs, driver.isolation(),
                    datacenter, task.identity().env() ? token : Optional.empty(), nodeVariables);
            Map<String, Object> config = env.interpolateConfig(task.config());
            TaskLaunch launch = TaskLaunch.builder(ref).taskDir(dirs.taskDir()).secretsDir(dirs.secretsDir())
                    .config(config).environment(env.variables()).user(task.user()).sockets(sockets).build();
            allocation.event(name, "Driver", "Starting with driver " + driver.name());
            started = driver.start(launch);
        } catch (TaskDriverException | TaskEnvironment.InterpolationException e) {
            return fail(name, e.getMessage());
        } catch (IOException e) {
            return fail(name, "task setup failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("task {} of allocation {} could not start", name, allocation.id(), e);
            return fail(name, "task setup failed: " + e.getClass().getSimpleName());
        }
        boolean stopNow;
        synchronized (this) {
            running = started;
            stopNow = stopRequested;
        }
        allocation.started(name);
        if (stopNow) {
            started.stop(JobScheduler.STOP_GRACE);
        }
        TaskExit exit;
        try {
            exit = awaitExit(started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.stop(Duration.ZERO);
            exit = TaskExit.killed(137);
        } catch (ExecutionException | RuntimeException e) {
            // A driver whose exit failed, or could not be waited for: stop the task anyway, since its socket is
            // released next and a task must not outlive its API.
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("task {} of allocation {} ended abnormally: {}", name, allocation.id(),
                    cause.getClass().getSimpleName());
            started.stop(JobScheduler.STOP_GRACE);
            exit = TaskExit.killed(-1);
        }
        LOG.info("task {} of allocation {} exited with code {}", name, allocation.id(), exit.exitCode());
        return allocation.exited(name, exit.exitCode(), exit.killed());
    }

    /**
     * Waits for the driver's exit through {@code whenComplete}: a third party's
     * {@link java.util.concurrent.CompletionStage} need not support {@code toCompletableFuture()}.
     */
    private static TaskExit awaitExit(RunningTask task) throws InterruptedException, ExecutionException {
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
