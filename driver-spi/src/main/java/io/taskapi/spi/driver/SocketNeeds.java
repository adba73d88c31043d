package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a driver needs of a task's API socket, passed to {@link TaskLaunch#apiSocket(SocketNeeds)}:
 *
 * <pre>{@code
 * SocketMount mount = launch.apiSocket(SocketNeeds.of(isolation()).withUser(hostUser));
 * }</pre>
 *
 * <p>Immutable: each {@code with…} method returns a copy, and leaves this one as it was.
 */
public final class SocketNeeds {
    /** Where {@link FilesystemIsolation#IMAGE} and {@link FilesystemIsolation#CHROOT} show the secrets directory. */
    public static final Path TASK_SECRETS_DIR = Path.of("/secrets");

    private final FilesystemIsolation isolation;
    private final Path taskSecretsDir;
    private final String user;

    private SocketNeeds(FilesystemIsolation isolation, Path taskSecretsDir, String user) {
        this.isolation = requireNonNull(isolation, "isolation is null");
        this.taskSecretsDir = taskSecretsDir;
        this.user = user;
    }

    /**
     * The needs of a driver with this isolation: the task sees its secrets directory at {@code /secrets} under
     * {@link FilesystemIsolation#IMAGE} and {@link FilesystemIsolation#CHROOT}, at its host path under
     * {@link FilesystemIsolation#NONE}; anybody on the host may connect (the task has no user).
     *
     * @param isolation how the driver isolates the task's filesystem
     * @return the needs
     */
    public static SocketNeeds of(FilesystemIsolation isolation) {
        return new SocketNeeds(isolation, null, null);
    }

    /**
     * @param hostUser the host user the task runs as; only that user may connect to the socket
     * @return a copy with that user
     * @throws IllegalArgumentException when the name is blank
     */
    public SocketNeeds withUser(String hostUser) {
        requireNonNull(hostUser, "hostUser is null");
        if (hostUser.isBlank()) {
            throw new IllegalArgumentException("hostUser is blank");
        }
        return new SocketNeeds(isolation, taskSecretsDir, hostUser);
    }

    /**
     * @param path where the secrets directory appears inside the task, when it is not the isolation's default
     * @return a copy with that path
     * @throws IllegalArgumentException when the path is not absolute
     */
    public SocketNeeds withTaskSecretsDir(Path path) {
        requireNonNull(path, "path is null");
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("the task's secrets directory must be absolute: " + path);
        }
        return new SocketNeeds(isolation, path.normalize(), user);
    }

    /** @return how the driver isolates the task's filesystem */
    public FilesystemIsolation isolation() {
        return isolation;
    }

    /** @return the host user that may connect, if the task has one */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * @return where the secrets directory appears inside the task, when set with {@link #withTaskSecretsDir(Path)};
     *     empty for the isolation's default ({@code /secrets}, or the host path under {@link FilesystemIsolation#NONE})
     */
    public Optional<Path> taskSecretsDir() {
        return Optional.ofNullable(taskSecretsDir);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketNeeds other && isolation == other.isolation
                && Objects.equals(taskSecretsDir, other.taskSecretsDir) && Objects.equals(user, other.user);
    }

    @Override
    public int hashCode() {
        return Objects.hash(isolation, taskSecretsDir, user);
    }

    @Override
    public String toString() {
        return "SocketNeeds[isolation " + isolation + ", task secrets dir "
                + (taskSecretsDir == null ? "(default)" : taskSecretsDir) + ", user " + (user == null ? "(none)" : user)
                + "]";
    }
}
