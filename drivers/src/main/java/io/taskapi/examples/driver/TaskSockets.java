package io.taskapi.examples.driver;

import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.spi.socket.FilesystemIsolation;
import io.taskapi.spi.socket.SocketMount;
import io.taskapi.spi.socket.SocketRequest;
import io.taskapi.spi.socket.SocketUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Asks the Task API for a task's socket the way every driver here does, and builds the task's environment. */
public final class TaskSockets {
    private TaskSockets() {}

    /**
     * Opens the task's socket. A failure ends the start: a task that expects its API must not run without it.
     *
     * @param driver the driver's name, for messages
     * @param launch the task
     * @param user the host user the socket is for (the resolved name), if any
     * @param isolation the driver's isolation, which decides the path the task is told
     * @return the open socket
     * @throws TaskDriverException with the Task API's reason when it refuses
     */
    public static SocketMount open(String driver, TaskLaunch launch, Optional<String> user,
                                   FilesystemIsolation isolation) throws TaskDriverException {
        SocketRequest request = new SocketRequest(launch.task(), launch.secretsDir(), user, isolation);
        try {
            return launch.sockets().openSocket(request);
        } catch (SocketUnavailableException e) {
            throw new TaskDriverException("driver " + driver + ": cannot open the task API socket for task "
                    + launch.task().taskName() + " (" + e.reason() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TaskDriverException("driver " + driver + ": the task API failed to open the socket for task "
                    + launch.task().taskName() + ": " + e, e);
        }
    }

    /**
     * @param launch the task
     * @param mount its socket
     * @return the launch's environment with the socket's variables ({@code NOMAD_SECRETS_DIR},
     *     {@code NOMAD_UNIX_ADDR}) over it, in the task's view
     */
    public static Map<String, String> environment(TaskLaunch launch, SocketMount mount) {
        Map<String, String> environment = new HashMap<>(launch.environment());
        environment.putAll(mount.environment());
        return environment;
    }
}
