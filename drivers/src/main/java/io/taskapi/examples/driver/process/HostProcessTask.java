package io.taskapi.examples.driver.process;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskExit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task running as a host process. When the process ends, {@link #exit()} completes. Its API socket is not the
 * driver's to close: it belongs to the task and lives across restarts until the agent releases it.
 *
 * <p>Without cgroups, "the task" is the process and the descendants it has when it is killed: a child that outlives a
 * process ending on its own is reparented to init and no longer tracked (Nomad's exec driver kills its whole cgroup).
 *
 * <p>Thread-safe.
 */
final class HostProcessTask implements RunningTask {
    private static final Logger LOG = LoggerFactory.getLogger(HostProcessTask.class);
    /** How long a SIGKILLed process may take to be reaped; longer means it is stuck in the kernel. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final int SIGKILL_EXIT = 128 + 9;

    private final String driver;
    private final TaskRef task;
    private final Process process;
    private final CompletableFuture<TaskExit> exit = new CompletableFuture<>();
    private final AtomicBoolean sentKill = new AtomicBoolean();

    private HostProcessTask(String driver, TaskRef task, Process process) {
        this.driver = requireNonNull(driver, "driver is null");
        this.task = requireNonNull(task, "task is null");
        this.process = requireNonNull(process, "process is null");
    }

    /** Watches a started process: its end completes the exit. */
    @SuppressWarnings("FutureReturnValueIgnored") // ended() handles the end; nothing else waits on this stage
    static HostProcessTask watch(String driver, TaskRef task, Process process) {
        HostProcessTask running = new HostProcessTask(driver, task, process);
        process.onExit().whenComplete((ended, failure) -> running.ended());
        return running;
    }

    @Override
    public String id() {
        return Long.toString(process.pid());
    }

    @Override
    public CompletionStage<TaskExit> exit() {
        // Read-only for callers: they cannot complete or cancel the task's own state.
        return exit.minimalCompletionStage();
    }

    @Override
    public void stop(Duration grace) {
        requireNonNull(grace, "grace is null");
        if (!exit.isDone() && process.isAlive()) {
            // SIGTERM to the main process only, as Nomad does: it decides how its children end.
            process.destroy();
            if (!awaitExit(grace.isNegative() ? Duration.ZERO : grace)) {
                kill();
            }
        }
        if (!awaitExit(KILL_WAIT)) {
            throw new IllegalStateException(driver + " task " + task.taskName() + " (pid " + process.pid()
                    + ") did not end " + KILL_WAIT.toSeconds() + "s after SIGKILL");
        }
    }

    /** SIGKILL to the process and every descendant it has now. */
    private void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        sentKill.set(true);
        process.destroyForcibly();
        // ProcessHandle checks the start time as well as the pid, so a reused pid is never hit.
        descendants.forEach(ProcessHandle::destroyForcibly);
        LOG.info("{} task {} (alloc {}) did not stop in time: killed pid {} and {} descendant(s)", driver,
                task.taskName(), task.allocationId(), process.pid(), descendants.size());
    }

    /** @return whether the task has ended within the timeout; on interrupt, kills it */
    private boolean awaitExit(Duration timeout) {
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            // Leaving a task running because our caller was interrupted would orphan it: kill, then give up waiting.
            kill();
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void ended() {
        int code = process.exitValue();
        // "killed" only when our SIGKILL is what ended it, not a process that ended by itself at the same moment.
        boolean killed = sentKill.get() && code == SIGKILL_EXIT;
        LOG.info("{} task {} (alloc {}) ended: pid {}, exit code {}{}", driver, task.taskName(), task.allocationId(),
                process.pid(), code, killed ? " (killed)" : "");
        exit.complete(killed ? TaskExit.killed(code) : TaskExit.exited(code));
    }

    @Override
    public String toString() {
        return "HostProcessTask[" + driver + ", " + task.taskName() + ", pid " + process.pid() + "]";
    }
}
