package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A request for a task's API socket: which task, its secrets directory on the host, and what the driver needs.
 * {@link io.taskapi.spi.driver.TaskLaunch#apiSocket} makes one; an agent that opens sockets itself uses
 * {@link #of}.
 */
public final class SocketRequest {
    private final TaskRef task;
    private final Path hostSecretsDir;
    private final SocketNeeds needs;

    private SocketRequest(TaskRef task, Path hostSecretsDir, SocketNeeds needs) {
        this.task = requireNonNull(task, "task is null");
        requireNonNull(hostSecretsDir, "hostSecretsDir is null");
        this.needs = requireNonNull(needs, "needs is null");
        if (!hostSecretsDir.isAbsolute()) {
            throw new IllegalArgumentException("hostSecretsDir must be absolute: " + hostSecretsDir);
        }
        this.hostSecretsDir = hostSecretsDir.normalize();
    }

    /**
     * @param task which task the socket is for
     * @param hostSecretsDir the task's secrets directory on the host; absolute, any length
     * @param needs the driver's isolation, the task's view of the directory and its host user
     * @return the request
     */
    public static SocketRequest of(TaskRef task, Path hostSecretsDir, SocketNeeds needs) {
        return new SocketRequest(task, hostSecretsDir, needs);
    }

    /** @return which task the socket is for */
    public TaskRef task() {
        return task;
    }

    /** @return the task's secrets directory on the host, normalized */
    public Path hostSecretsDir() {
        return hostSecretsDir;
    }

    /** @return what the driver needs */
    public SocketNeeds needs() {
        return needs;
    }

    /** @return the host user the task runs as; when present only that user may connect */
    public Optional<String> taskUser() {
        return needs.user();
    }

    /** @return the driver's filesystem isolation */
    public FilesystemIsolation isolation() {
        return needs.isolation();
    }

    /**
     * @return where the task sees its secrets directory: the driver's explicit path, else {@code /secrets} under
     *     image and chroot isolation, the host path under none
     */
    public Path taskSecretsDir() {
        return needs.taskSecretsDir().orElse(
                needs.isolation() == FilesystemIsolation.NONE ? hostSecretsDir : SocketNeeds.TASK_SECRETS_DIR);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketRequest other && task.equals(other.task)
                && hostSecretsDir.equals(other.hostSecretsDir) && needs.equals(other.needs);
    }

    @Override
    public int hashCode() {
        return (task.hashCode() * 31 + hostSecretsDir.hashCode()) * 31 + needs.hashCode();
    }

    @Override
    public String toString() {
        return "SocketRequest[" + task + ", host secrets dir " + hostSecretsDir + ", " + needs + "]";
    }
}
