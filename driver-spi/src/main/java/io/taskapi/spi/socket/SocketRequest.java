package io.taskapi.spi.socket;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.TaskRef;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A driver's request for a task's API socket.
 *
 * @param task which task the socket is for
 * @param hostSecretsDir the task's secrets directory on the host; absolute, any length
 * @param taskUser the host user the task runs as; when present only that user may connect
 * @param isolation the driver's filesystem isolation, which decides the path the task sees
 */
public record SocketRequest(TaskRef task, Path hostSecretsDir, Optional<String> taskUser,
                            FilesystemIsolation isolation) {
    /**
     * Checks the request: an absolute secrets directory and a non-blank user when one is given.
     *
     * @param task see the record component of that name
     * @param hostSecretsDir see the record component of that name
     * @param taskUser see the record component of that name
     * @param isolation see the record component of that name
     */
    public SocketRequest {
        requireNonNull(task, "task is null");
        requireNonNull(hostSecretsDir, "hostSecretsDir is null");
        requireNonNull(taskUser, "taskUser is null");
        requireNonNull(isolation, "isolation is null");
        if (!hostSecretsDir.isAbsolute()) {
            throw new IllegalArgumentException("hostSecretsDir must be absolute: " + hostSecretsDir);
        }
        hostSecretsDir = hostSecretsDir.normalize();
        if (taskUser.isPresent() && taskUser.get().isBlank()) {
            throw new IllegalArgumentException("taskUser is blank");
        }
    }
}
