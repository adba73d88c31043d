package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.TaskRef;
import io.taskapi.spi.socket.SocketProvisioner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a driver needs to start one task.
 *
 * @param task which task
 * @param taskDir the task's directory on the host
 * @param secretsDir the task's secrets directory on the host (where {@code api.sock} goes)
 * @param config the task's {@code config} block: strings, numbers, booleans, lists and maps
 * @param environment the task's environment, without the socket's variables (the driver adds those)
 * @param user the host user to run as, if the job sets one
 * @param sockets where the driver gets the task's API socket
 */
public record TaskLaunch(TaskRef task, Path taskDir, Path secretsDir, Map<String, Object> config,
                         Map<String, String> environment, Optional<String> user, SocketProvisioner sockets) {
    /**
     * Copies the maps and checks that nothing is missing.
     *
     * @param task see the record component of that name
     * @param taskDir see the record component of that name
     * @param secretsDir see the record component of that name
     * @param config see the record component of that name
     * @param environment see the record component of that name
     * @param user see the record component of that name
     * @param sockets see the record component of that name
     */
    public TaskLaunch {
        requireNonNull(task, "task is null");
        requireNonNull(taskDir, "taskDir is null");
        requireNonNull(secretsDir, "secretsDir is null");
        config = Map.copyOf(requireNonNull(config, "config is null"));
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        requireNonNull(user, "user is null");
        requireNonNull(sockets, "sockets is null");
    }

    /**
     * Reads a string setting from {@link #config()}.
     *
     * @param key the setting's name
     * @return its value, if it is set and is a string
     */
    public Optional<String> configString(String key) {
        return config.get(key) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    /**
     * Reads a list-of-strings setting from {@link #config()}.
     *
     * @param key the setting's name
     * @return its elements as strings, or an empty list when it is not set
     * @throws IllegalArgumentException when the setting is not a list
     */
    public List<String> configStrings(String key) {
        Object value = config.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("config." + key + " must be a list");
        }
        return list.stream().map(String::valueOf).toList();
    }
}
