package io.taskapi.spi.driver;

import io.taskapi.spi.socket.FilesystemIsolation;

/**
 * Runs tasks of one kind (docker, exec, java, or a third party's). Found with {@link java.util.ServiceLoader};
 * implementations need a public no-argument constructor.
 *
 * <p>A driver asks for the task's API socket itself, through {@link TaskLaunch#sockets()}, because only it knows
 * its isolation and how to make the socket visible inside the task (a bind mount, a chroot, nothing).
 */
public interface TaskDriver {
    /** @return the name job files use in {@code driver = "..."}: lower case, for example {@code "exec"} */
    String name();

    /** @return how this driver isolates a task's filesystem */
    FilesystemIsolation isolation();

    /**
     * Starts a task. The driver opens the task's socket with {@code launch.sockets()} before the task runs, adds
     * the mount's environment to the task's, and closes the mount when the task ends for good.
     *
     * @param launch everything about the task to start
     * @return the running task
     * @throws TaskDriverException when the task cannot start; nothing is left running
     */
    RunningTask start(TaskLaunch launch) throws TaskDriverException;
}
