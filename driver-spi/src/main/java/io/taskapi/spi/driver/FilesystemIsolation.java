package io.taskapi.spi.driver;

/** How a driver isolates a task's filesystem, which decides where the task sees its secrets directory. */
public enum FilesystemIsolation {
    /** The task runs in its own image (docker): the secrets directory is bind-mounted at {@code /secrets}. */
    IMAGE,
    /** The task's directory is its root (exec, java on Linux): the secrets directory is {@code /secrets}. */
    CHROOT,
    /** The task sees the host filesystem (raw_exec, qemu): the secrets directory is its host path. */
    NONE
}
