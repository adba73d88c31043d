package io.taskapi.spi.driver;

import java.util.Map;
import java.util.TreeSet;

/**
 * Runs tasks of one kind (docker, exec, java, or a third party's). Found with {@link java.util.ServiceLoader};
 * implementations need a public no-argument constructor.
 *
 * <p>A driver asks for the task's API socket with {@link TaskLaunch#apiSocket(SocketNeeds)}, stating its isolation
 * (only it knows how the task sees the host's files) and the task's host user, and makes the returned
 * {@link SocketMount} visible inside the task. The socket belongs to the task: the driver never closes it.
 */
public interface TaskDriver {
    /** @return the name job files use in {@code driver = "..."}: lower case, for example {@code "exec"} */
    String name();

    /** @return how this driver isolates a task's filesystem */
    FilesystemIsolation isolation();

    /**
     * Takes the operator's configuration for this driver (Nomad's {@code plugin "NAME" { config { ... } }} in the
     * agent's configuration). The agent calls it once, before {@link #fingerprint()} and before any task starts;
     * without a block it is not called.
     *
     * @param config the block: strings, numbers, booleans, lists and maps
     * @throws TaskDriverException when a key is unknown or a value is wrong, naming the key; the default refuses any
     *     key, since this driver takes no configuration
     */
    default void configure(Map<String, Object> config) throws TaskDriverException {
        if (!config.isEmpty()) {
            throw new TaskDriverException("driver " + name() + " takes no configuration, but got "
                    + new TreeSet<>(config.keySet()));
        }
    }

    /**
     * Checks this node for what the driver needs (Nomad's fingerprint): an engine that answers, a binary. The agent
     * calls it at start and now and then after, publishes the result in the node's {@code Drivers}, and places no
     * task on a driver that is not {@link DriverHealth#healthy()}. Must not block for long: a few seconds at most.
     *
     * @return the driver's health now; the default: healthy
     */
    default DriverHealth fingerprint() {
        return DriverHealth.healthy("Healthy");
    }

    /**
     * Starts a task (the first time, or again after it ended: a restart). The driver asks for the task's socket with
     * {@code launch.apiSocket(...)} before the task runs and adds the mount's environment to the task's
     * ({@link TaskLaunch#environmentWith(SocketMount)}).
     *
     * @param launch everything about the task to start
     * @return the running task
     * @throws TaskDriverException when the task cannot start; nothing is left running
     */
    RunningTask start(TaskLaunch launch) throws TaskDriverException;

    /**
     * Finds a task this driver started before the agent restarted (Nomad's {@code RecoverTask}). The agent passes the
     * launch it would build to start the task (same task, directories, config and user) and the handle the task gave
     * ({@link RunningTask#handle()}).
     *
     * <ul>
     *   <li>The task still runs: ask for its socket again with {@code launch.apiSocket(...)}, as at start (the Task
     *       API opens it again at the same path), and return it.</li>
     *   <li>It ended while the agent was down: return a task whose {@link RunningTask#exit()} is already complete,
     *       with its real exit code; ask for no socket.</li>
     *   <li>It cannot be recovered (the handle is unreadable, the supervisor is gone): stop whatever of it still runs,
     *       then throw. The agent marks the task failed with the message.</li>
     * </ul>
     *
     * @param launch the task, as the agent would start it
     * @param handle the handle the task gave when it started
     * @return the task
     * @throws TaskDriverException when it cannot be recovered; nothing of it is left running. The default: this
     *     driver cannot recover tasks
     */
    default RunningTask recover(TaskLaunch launch, TaskHandle handle) throws TaskDriverException {
        throw new TaskDriverException("driver " + name() + " cannot recover tasks");
    }
}
