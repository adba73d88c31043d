package io.taskapi.spi.driver;

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
     * Starts a task (the first time, or again after it ended: a restart). The driver asks for the task's socket with
     * {@code launch.apiSocket(...)} before the task runs and adds the mount's environment to the task's
     * ({@link TaskLaunch#environmentWith(SocketMount)}).
     *
     * @param launch everything about the task to start
     * @return the running task
     * @throws TaskDriverException when the task cannot start; nothing is left running
     */
    RunningTask start(TaskLaunch launch) throws TaskDriverException;
}
