package io.taskapi.spi.driver;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A task a driver started. */
public interface RunningTask {
    /** @return the driver's id for the task (a pid, a container id) */
    String id();

    /**
     * @return completes once the task has ended, with how it ended; read-only for the caller (the driver completes it)
     */
    CompletionStage<TaskExit> exit();

    /**
     * Stops the task: asks it to end, and kills it after the grace period. Returns once it has ended.
     *
     * @param grace how long the task may take to end by itself
     */
    void stop(Duration grace);

    /**
     * What the agent stores to recover this task after it restarts ({@link TaskDriver#recover(TaskLaunch,
     * TaskHandle)}). A driver that returns one must keep the task running when the agent's process ends: the task
     * is owned by something that outlives the agent (a supervisor process, the container engine).
     *
     * @return the task's handle, or empty when it cannot be recovered (the default: the agent then stops it when it
     *     stops, and marks it failed after a crash)
     */
    default Optional<TaskHandle> handle() {
        return Optional.empty();
    }

    /**
     * Whether {@link #exec} can run a command in this task: a driver that cannot says so here, and the agent refuses
     * an operator's {@code alloc exec} with a clear error before anything starts.
     *
     * @return false unless the driver supports it (the default)
     */
    default boolean canExec() {
        return false;
    }

    /**
     * Runs a command inside this task, in its context: its user, working directory, environment (the task's own, not
     * the agent's) and isolation. Called only while the task runs and only if {@link #canExec()}.
     *
     * @param command what to run
     * @return the running command
     * @throws TaskDriverException when it cannot be started (the message is shown to the operator: no secrets)
     */
    default ExecProcess exec(ExecCommand command) throws TaskDriverException {
        throw new TaskDriverException("this driver cannot run commands in its tasks");
    }
}
