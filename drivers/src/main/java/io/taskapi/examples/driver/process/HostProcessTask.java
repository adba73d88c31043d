package io.taskapi.examples.driver.process;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskRef;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task running as a host process under its supervisor ({@link HostProcessLauncher}). When the supervisor ends,
 * {@link #exit()} completes with the exit code the supervisor recorded: the task's real one, also after an agent
 * restart. Its API socket is not the driver's to close: it belongs to the task and lives across restarts until the
 * agent releases it.
 *
 * <p>"The task" is every process in the supervisor's session ({@link TaskSession}): when the task's main process ends,
 * by itself or stopped, what is left of it is killed, as Nomad kills a task's cgroup.
 *
 * <p>Thread-safe.
 */
final class HostProcessTask implements RunningTask {
    private static final Logger LOG = LoggerFactory.getLogger(HostProcessTask.class);
    /** How long SIGKILLed processes may take to die; longer means they are stuck in the kernel. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    /** How long the supervisor may take to record the exit of a task we killed, before it is killed too. */
    private static final Duration SUPERVISOR_WAIT = Duration.ofSeconds(5);
    /** How often a recovered task's supervisor, no longer this JVM's child, is looked at. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);
    private static final int SIGKILL_EXIT = 128 + 9;
    /** The exit code reported when the supervisor ended without recording the task's (someone killed it). */
    static final int UNKNOWN_EXIT = 255;

    /** Runs the end of each task (a /proc scan, maybe kills): off the JDK's process reaper thread. */
    private static final Executor ENDINGS = Executors.newCachedThreadPool(daemon("host-task-ended"));
    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(
            daemon("host-task-watcher"));

    private final String driver;
    private final TaskRef task;
    private final SupervisorDir dir;
    private final SupervisorRecord record;
    private final Optional<HostExec> exec; // empty for a task that had ended before it was recovered
    private final CompletableFuture<TaskExit> exit = new CompletableFuture<>();
    private final AtomicBoolean sentKill = new AtomicBoolean();
    // Operators' commands (alloc exec): children of the agent, not in the task's session, so killed here with it.
    private final Set<ExecProcess> commands = ConcurrentHashMap.newKeySet();

    private HostProcessTask(String driver, TaskRef task, SupervisorDir dir, SupervisorRecord record,
                            Optional<HostExec> exec) {
        this.driver = requireNonNull(driver, "driver is null");
        this.task = requireNonNull(task, "task is null");
        this.dir = requireNonNull(dir, "dir is null");
        this.record = requireNonNull(record, "record is null");
        this.exec = requireNonNull(exec, "exec is null");
    }

    /** A task this driver started: the supervisor is our child, its end is the JDK's to see. */
    @SuppressWarnings("FutureReturnValueIgnored") // ended() handles the end; nothing else waits on this stage
    static HostProcessTask started(String driver, TaskRef task, SupervisorDir dir, SupervisorRecord record,
                                   Process supervisor, HostExec exec) {
        HostProcessTask running = new HostProcessTask(driver, task, dir, record, Optional.of(exec));
        supervisor.onExit().whenCompleteAsync((ended, failure) -> running.ended(OptionalInt.of(
                supervisor.exitValue())), ENDINGS);
        return running;
    }

    /**
     * A running task found again after an agent restart. Its supervisor is not this JVM's child, so its end is seen
     * by looking at {@code /proc}: {@link ProcessHandle#onExit()} would wait forever for a supervisor that stays a
     * zombie (under an init that does not reap, or an agent that is pid 1), and polls at up to 5 s anyway.
     */
    static HostProcessTask recovered(String driver, TaskRef task, SupervisorDir dir, SupervisorRecord record,
                                     HostExec exec) {
        HostProcessTask running = new HostProcessTask(driver, task, dir, record, Optional.of(exec));
        running.watchSupervisor();
        return running;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the next look is scheduled by this one; nothing waits on it
    private void watchSupervisor() {
        if (ProcStat.isRunning(record.supervisorPid(), record.supervisorStart())) {
            WATCHER.schedule(this::watchSupervisor, WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            ENDINGS.execute(() -> ended(OptionalInt.empty()));
        }
    }

    /** A task that ended while the agent was down: its exit is already there. */
    static HostProcessTask alreadyEnded(String driver, TaskRef task, SupervisorDir dir, SupervisorRecord record) {
        HostProcessTask ended = new HostProcessTask(driver, task, dir, record, Optional.empty());
        ended.ended(OptionalInt.empty());
        return ended;
    }

    @Override
    public boolean canExec() {
        return exec.isPresent();
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the stage only forgets the command when it ends
    public ExecProcess exec(ExecCommand command) throws TaskDriverException {
        if (exec.isEmpty() || exit.isDone()) {
            throw new TaskDriverException("task " + task.taskName() + " is not running");
        }
        ExecProcess process = exec.get().start(command);
        commands.add(process);
        process.exitCode().whenComplete((code, failure) -> commands.remove(process));
        if (exit.isDone()) {
            // The task ended meanwhile: ended() may have looked at the commands before this one was added.
            process.kill();
        }
        return process;
    }

    @Override
    public String id() {
        return Long.toString(record.taskPid());
    }

    @Override
    public CompletionStage<TaskExit> exit() {
        // Read-only for callers: they cannot complete or cancel the task's own state.
        return exit.minimalCompletionStage();
    }

    @Override
    public Optional<TaskHandle> handle() {
        return Optional.of(record.handle(driver));
    }

    @Override
    public void stop(Duration grace) {
        requireNonNull(grace, "grace is null");
        if (!exit.isDone()) {
            // SIGTERM to the task's main process only, as Nomad does: it decides how its children end. Not to the
            // supervisor, which ignores it (see HostProcessLauncher.SCRIPT).
            if (record.taskStart() >= 0 && ProcStat.isRunning(record.taskPid(), record.taskStart())) {
                ProcessHandle.of(record.taskPid()).ifPresent(ProcessHandle::destroy);
            }
            if (!awaitExit(grace.isNegative() ? Duration.ZERO : grace)) {
                kill();
            }
        }
        if (!awaitExit(KILL_WAIT)) {
            throw new IllegalStateException(driver + " task " + task.taskName() + " (pid " + record.taskPid()
                    + ") did not end " + KILL_WAIT.toSeconds() + "s after SIGKILL");
        }
    }

    /** SIGKILL to the task and all its processes; the supervisor records the exit, or is killed when it does not. */
    private void kill() {
        sentKill.set(true);
        int killed = TaskSession.kill(record, false, KILL_WAIT);
        LOG.info("{} task {} (alloc {}) did not stop in time: killed pid {} and the rest of its processes ({} in all)",
                driver, task.taskName(), task.allocationId(), record.taskPid(), killed);
        if (!awaitExit(SUPERVISOR_WAIT)) {
            LOG.warn("{} task {}: its supervisor (pid {}) did not record the exit; killing it", driver,
                    task.taskName(), record.supervisorPid());
            TaskSession.kill(record, true, KILL_WAIT);
        }
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
            sentKill.set(true);
            try {
                TaskSession.kill(record, true, KILL_WAIT);
            } finally {
                Thread.currentThread().interrupt();
            }
            return true;
        }
    }

    /**
     * The supervisor has ended: the exit code is the one it recorded. What is left of the task (children that outlived
     * it, or the task itself when the supervisor was killed) is killed, so nothing of it runs untracked.
     *
     * @param supervisorExit the supervisor's own exit status, when it was our child
     */
    private void ended(OptionalInt supervisorExit) {
        Optional<Integer> recorded = dir.exitCode();
        int leftovers;
        try {
            leftovers = TaskSession.kill(record, true, KILL_WAIT);
        } catch (RuntimeException e) {
            LOG.error("{} task {} (alloc {}): cannot kill what is left of it: {}", driver, task.taskName(),
                    task.allocationId(), e.getMessage());
            leftovers = -1;
        }
        int code = recorded.orElse(supervisorExit.orElse(UNKNOWN_EXIT));
        if (recorded.isEmpty()) {
            LOG.warn("{} task {} (alloc {}): its supervisor (pid {}) ended without recording the exit code (killed?);"
                    + " reporting {}", driver, task.taskName(), task.allocationId(), record.supervisorPid(), code);
        }
        // "killed" only when our SIGKILL is what ended it, not a process that ended by itself at the same moment.
        boolean killed = sentKill.get() && code == SIGKILL_EXIT;
        LOG.info("{} task {} (alloc {}) ended: pid {}, exit code {}{}{}", driver, task.taskName(), task.allocationId(),
                record.taskPid(), code, killed ? " (killed)" : "",
                leftovers > 0 ? ", " + leftovers + " leftover process(es) killed" : "");
        exit.complete(killed ? TaskExit.killed(code) : TaskExit.exited(code));
        // After the exit is complete: a command started after this loop sees it, and is killed by exec().
        commands.forEach(ExecProcess::kill);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "HostProcessTask[" + driver + ", " + task.taskName() + ", pid " + record.taskPid() + ", supervisor "
                + record.supervisorPid() + "]";
    }
}
