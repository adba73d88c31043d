package io.taskapi.spi.socket;

import java.nio.file.Path;
import java.util.Map;

/**
 * A task's open API socket, as the driver needs it to start the task.
 *
 * <p>{@link #close()} stops serving the socket and removes its file; it is idempotent. A driver closes the mount when
 * the task stops for good, not between restarts: opening the same task's socket again returns the live one.
 */
public interface SocketMount extends AutoCloseable {
    /** @return where the socket file is on the host: {@code <hostSecretsDir>/api.sock} */
    Path hostPath();

    /** @return where the task sees the socket, for example {@code /secrets/api.sock} under image isolation */
    Path taskPath();

    /**
     * @return the variables to add to the task's environment: {@code NOMAD_SECRETS_DIR} (the task's view) and
     *     {@code NOMAD_UNIX_ADDR} ({@code unix://<taskPath>})
     */
    Map<String, String> environment();

    /** Stops serving this socket and removes its file if it is still the one this mount created. */
    @Override
    void close();
}
