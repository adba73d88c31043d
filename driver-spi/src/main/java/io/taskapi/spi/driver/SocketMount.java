package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * A task's API socket, as the driver needs it to start the task: what to make visible inside the task and what to add
 * to its environment.
 *
 * <p>A value: the socket itself belongs to the task, not to this object. The Task API keeps it open across the task's
 * restarts and closes it when the agent says the task is done for good, so a driver never closes anything.
 */
public final class SocketMount {
    private final Path hostPath;
    private final Path taskPath;
    private final Map<String, String> environment;

    private SocketMount(Path hostPath, Path taskPath, Map<String, String> environment) {
        this.hostPath = requireNonNull(hostPath, "hostPath is null");
        this.taskPath = requireNonNull(taskPath, "taskPath is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /**
     * Made by the Task API (or a test's fake of it); drivers only read mounts.
     *
     * @param hostPath where the socket file is on the host
     * @param taskPath where the task sees it
     * @param environment the variables to add to the task's environment
     * @return the mount
     */
    public static SocketMount of(Path hostPath, Path taskPath, Map<String, String> environment) {
        return new SocketMount(hostPath, taskPath, environment);
    }

    /** @return where the socket file is on the host: {@code <hostSecretsDir>/api.sock} */
    public Path hostPath() {
        return hostPath;
    }

    /** @return where the task sees the socket, for example {@code /secrets/api.sock} under image isolation */
    public Path taskPath() {
        return taskPath;
    }

    /**
     * @return the variables to add to the task's environment: {@code NOMAD_SECRETS_DIR} (the task's view) and
     *     {@code NOMAD_UNIX_ADDR} ({@code unix://<taskPath>})
     */
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketMount other && hostPath.equals(other.hostPath) && taskPath.equals(other.taskPath)
                && environment.equals(other.environment);
    }

    @Override
    public int hashCode() {
        return hostPath.hashCode() * 31 + taskPath.hashCode();
    }

    @Override
    public String toString() {
        return "SocketMount[" + hostPath + " seen as " + taskPath + "]";
    }
}
