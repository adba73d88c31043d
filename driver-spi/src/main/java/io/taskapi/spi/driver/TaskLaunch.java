package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a driver needs to start one task. The agent builds it ({@link #builder(TaskRef)}); a driver reads it and
 * asks it for the task's API socket ({@link #apiSocket(SocketNeeds)}).
 */
public final class TaskLaunch {
    private final TaskRef task;
    private final Path taskDir;
    private final Path secretsDir;
    private final Map<String, Object> config;
    private final Map<String, String> environment;
    private final Optional<String> user;
    private final SocketProvisioner sockets;

    private TaskLaunch(Builder builder) {
        this.task = builder.task;
        this.taskDir = requireNonNull(builder.taskDir, "taskDir is required");
        this.secretsDir = requireNonNull(builder.secretsDir, "secretsDir is required");
        this.config = Map.copyOf(builder.config);
        this.environment = Map.copyOf(builder.environment);
        this.user = Optional.ofNullable(builder.user);
        this.sockets = requireNonNull(builder.sockets, "sockets is required");
    }

    /**
     * For agents (and tests that stand in for one).
     *
     * @param task which task
     * @return a builder for that task's launch
     */
    public static Builder builder(TaskRef task) {
        return new Builder(task);
    }

    /** @return which task */
    public TaskRef task() {
        return task;
    }

    /** @return the task's directory on the host */
    public Path taskDir() {
        return taskDir;
    }

    /** @return the task's secrets directory on the host (where the Task API puts {@code api.sock}) */
    public Path secretsDir() {
        return secretsDir;
    }

    /** @return the task's {@code config} block: strings, numbers, booleans, lists and maps */
    public Map<String, Object> config() {
        return config;
    }

    /** @return the task's environment, without the socket's variables (see {@link #environmentWith}) */
    public Map<String, String> environment() {
        return environment;
    }

    /** @return the host user to run as, if the job sets one */
    public Optional<String> user() {
        return user;
    }

    /**
     * Gets the task's API socket: opens it on the task's first start, returns the same live socket (connections
     * intact) on a restart. The Task API checks the secrets directory is safe, makes the socket so that only
     * {@code needs.user()} can connect, and keeps it until the agent says the task is done for good. The driver makes
     * {@link SocketMount#hostPath()} visible at {@link SocketMount#taskPath()} inside the task (under
     * {@link FilesystemIsolation#NONE} they are the same) and adds {@link SocketMount#environment()} to the task's.
     *
     * @param needs the driver's isolation and the task's host user
     * @return the mount
     * @throws TaskDriverException with the Task API's reason when it refuses (which directory, and why): the task
     *     must not start without its API
     */
    public SocketMount apiSocket(SocketNeeds needs) throws TaskDriverException {
        SocketRequest request = SocketRequest.of(task, secretsDir, needs);
        try {
            return sockets.openSocket(request);
        } catch (SocketUnavailableException e) {
            throw new TaskDriverException("cannot open the task API socket for " + describeTask() + " ("
                    + e.reason() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TaskDriverException("the task API failed to open the socket for " + describeTask() + ": " + e,
                    e);
        }
    }

    /**
     * @param mount the task's socket
     * @return a mutable copy of {@link #environment()} with the mount's variables ({@code NOMAD_SECRETS_DIR},
     *     {@code NOMAD_UNIX_ADDR}) over it
     */
    public Map<String, String> environmentWith(SocketMount mount) {
        requireNonNull(mount, "mount is null");
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(mount.environment());
        return merged;
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

    private String describeTask() {
        return "task " + task.taskName() + " of allocation " + task.allocationId();
    }

    @Override
    public String toString() {
        // Never the environment or the config: they may hold the task's token.
        return "TaskLaunch[" + describeTask() + ", task dir " + taskDir + "]";
    }

    /** Collects a {@link TaskLaunch}. The task directory, secrets directory and socket provisioner are required. */
    public static final class Builder {
        private final TaskRef task;
        private Path taskDir;
        private Path secretsDir;
        private Map<String, Object> config = Map.of();
        private Map<String, String> environment = Map.of();
        private String user;
        private SocketProvisioner sockets;

        private Builder(TaskRef task) {
            this.task = requireNonNull(task, "task is null");
        }

        /**
         * @param taskDir the task's directory on the host
         * @return this builder
         */
        public Builder taskDir(Path taskDir) {
            this.taskDir = requireNonNull(taskDir, "taskDir is null");
            return this;
        }

        /**
         * @param secretsDir the task's secrets directory on the host; absolute
         * @return this builder
         */
        public Builder secretsDir(Path secretsDir) {
            requireNonNull(secretsDir, "secretsDir is null");
            if (!secretsDir.isAbsolute()) {
                throw new IllegalArgumentException("secretsDir must be absolute: " + secretsDir);
            }
            this.secretsDir = secretsDir.normalize();
            return this;
        }

        /**
         * @param config the task's {@code config} block (copied)
         * @return this builder
         */
        public Builder config(Map<String, Object> config) {
            this.config = Map.copyOf(requireNonNull(config, "config is null"));
            return this;
        }

        /**
         * @param environment the task's environment, without the socket's variables (copied)
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
            return this;
        }

        /**
         * @param user the host user to run as, or empty for the driver's default
         * @return this builder
         */
        public Builder user(Optional<String> user) {
            this.user = requireNonNull(user, "user is null").orElse(null);
            return this;
        }

        /**
         * @param sockets where {@link TaskLaunch#apiSocket} gets the task's socket: the running
         *     {@link io.taskapi.spi.TaskApi}, usually
         * @return this builder
         */
        public Builder sockets(SocketProvisioner sockets) {
            this.sockets = requireNonNull(sockets, "sockets is null");
            return this;
        }

        /**
         * @return the launch
         * @throws NullPointerException when a required part is missing
         */
        public TaskLaunch build() {
            return new TaskLaunch(this);
        }
    }
}
