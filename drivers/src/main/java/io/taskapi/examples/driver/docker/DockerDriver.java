package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.driver.DriverConfig;
import io.taskapi.examples.driver.TaskLogs;
import io.taskapi.examples.driver.process.HostUser;
import io.taskapi.spi.driver.DriverHealth;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code driver = "docker"}: runs a container through the Docker Engine API on a Unix socket.
 *
 * <pre>
 * config {
 *   image      = "curlimages/curl:8.10.1"   # required; pulled when the engine does not have it
 *   command    = "/bin/sh"                   # optional: the first element of the container's Cmd
 *   args       = ["-c", "..."]               # optional: the rest of Cmd (or all of it without command)
 *   entrypoint = ["/bin/sh"]                 # optional: replaces the image's entrypoint
 * }
 * </pre>
 *
 * <p>Isolation {@link FilesystemIsolation#IMAGE}: as in Nomad, the allocation's shared directory is bind-mounted at
 * {@code /alloc}, the task's {@code local/} at {@code /local}, and the task's secrets <em>directory</em> at
 * {@code /secrets} (a directory, not the socket file, so that a socket the Task API re-creates is visible in the
 * running container), and the task is told {@code NOMAD_SECRETS_DIR=/secrets} and
 * {@code NOMAD_UNIX_ADDR=unix:///secrets/api.sock}. With a {@code user}, the container runs as that host user's
 * numeric {@code uid:gid}: the socket belongs to the host's uid, and the image's {@code /etc/passwd} may give the
 * same name another uid, or not know it. Containers are named {@code <task>-<alloc id>} and labelled as Nomad labels
 * them; when the container ends its output is appended to the task's {@link TaskLogs} and it is removed. The engine,
 * not the agent, owns the containers: a task's handle is its container's id, and
 * {@link #recover(TaskLaunch, TaskHandle)} finds it again after an agent restart.
 *
 * <p>The engine is the plugin config's {@code endpoint} ({@link #configure(Map)}), else {@code DOCKER_HOST} when that
 * is a {@code unix://} address, else {@code /var/run/docker.sock}; {@link #fingerprint()} says whether it answers.
 * Every call has a connect and a read timeout, so a missing or stuck engine is an error, never a hang. An image
 * without a tag is {@code :latest}. The container's environment is the task's only: the agent gives a driver that
 * runs an image none of the host's variables, so the image's own {@code PATH} stays. Not supported: registry
 * credentials, ports, volumes other than Nomad's three, resource limits.
 */
public final class DockerDriver implements TaskDriver {
    /** The driver's name. */
    public static final String NAME = "docker";
    /** The config keys this driver reads. */
    public static final Set<String> CONFIG_KEYS = Set.of("image", "command", "args", "entrypoint");
    /** The keys of the operator's {@code plugin "docker" { config { … } }} block. */
    public static final Set<String> PLUGIN_CONFIG_KEYS = Set.of("endpoint");
    /** Where the engine listens unless {@code DOCKER_HOST} says otherwise. */
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    /** Where the secrets directory appears inside the container. */
    public static final String CONTAINER_SECRETS_DIR = "/secrets";
    /** Where the allocation's shared directory appears inside the container ({@code NOMAD_ALLOC_DIR}). */
    public static final String CONTAINER_ALLOC_DIR = "/alloc";
    /** Where the task's {@code local/} directory appears inside the container ({@code NOMAD_TASK_DIR}). */
    public static final String CONTAINER_LOCAL_DIR = "/local";

    private static final Logger LOG = LoggerFactory.getLogger(DockerDriver.class);
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(5);
    /** A fingerprint must not hold the agent up: an engine that takes longer is unhealthy. */
    private static final Duration FINGERPRINT_TIMEOUT = Duration.ofSeconds(2);

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private volatile DockerEngine engine;

    /** The driver as the agent finds it with {@link java.util.ServiceLoader}. */
    public DockerDriver() {
        this(defaultSocket(System.getenv("DOCKER_HOST")), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * @param engineSocket the Docker Engine API's Unix socket
     * @param connectTimeout how long connecting to it may take
     * @param readTimeout how long the engine may take to answer a call (pulls and waits excepted)
     */
    public DockerDriver(Path engineSocket, Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.readTimeout = requireNonNull(readTimeout, "readTimeout is null");
        this.engine = engine(engineSocket);
    }

    private DockerEngine engine(Path socket) {
        return new DockerEngine(socket, connectTimeout, readTimeout,
                DEFAULT_PULL_TIMEOUT.compareTo(readTimeout) > 0 ? DEFAULT_PULL_TIMEOUT : readTimeout);
    }

    /**
     * The operator's {@code plugin "docker" { config { … } }}, as Nomad's docker plugin reads it:
     * {@code endpoint = "unix:///path/to/docker.sock"} (only {@code unix://}: this driver speaks to a local engine).
     * Without it, {@code DOCKER_HOST}, then {@code /var/run/docker.sock}.
     *
     * @throws TaskDriverException naming an unknown key or a wrong endpoint
     */
    @Override
    public void configure(Map<String, Object> config) throws TaskDriverException {
        requireNonNull(config, "config is null");
        DriverConfig plugin = DriverConfig.of(NAME, config, PLUGIN_CONFIG_KEYS);
        Optional<String> endpoint = plugin.optionalString("endpoint");
        if (endpoint.isPresent()) {
            String value = endpoint.get();
            if (!value.startsWith("unix:///")) {
                throw new TaskDriverException("driver " + NAME + ": config.endpoint must be unix:///path/to/socket"
                        + " (this driver speaks to a local engine only), not \"" + value + "\"");
            }
            engine = engine(Path.of(value.substring("unix://".length())));
            LOG.info("docker: engine endpoint {}", value);
        }
    }

    /**
     * Pings the engine and asks its version, within two seconds: healthy with
     * {@code driver.docker = "1"} and {@code driver.docker.version}, or unhealthy with where the engine was looked for
     * and why it did not answer.
     */
    @Override
    public DriverHealth fingerprint() {
        DockerEngine current = engine;
        try {
            String version = current.version(FINGERPRINT_TIMEOUT);
            return DriverHealth.healthy("Healthy").withAttributes(Map.of("driver.docker", "1",
                    "driver.docker.version", version));
        } catch (IOException | RuntimeException e) {
            return DriverHealth.unhealthy("Docker engine at " + current.socket() + " does not answer: "
                    + e.getMessage());
        }
    }

    static Path defaultSocket(String dockerHost) {
        if (dockerHost != null && dockerHost.startsWith("unix://") && dockerHost.length() > "unix://".length()) {
            return Path.of(dockerHost.substring("unix://".length()));
        }
        return DEFAULT_SOCKET;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilesystemIsolation isolation() {
        return FilesystemIsolation.IMAGE;
    }

    @Override
    public RunningTask start(TaskLaunch launch) throws TaskDriverException {
        requireNonNull(launch, "launch is null");
        DriverConfig config = DriverConfig.of(NAME, launch.config(), CONFIG_KEYS);
        String image = withDefaultTag(config.requiredString("image"));
        Optional<String> command = config.optionalString("command");
        List<String> args = config.strings("args");
        List<String> entrypoint = config.strings("entrypoint");
        try {
            engine.ping();
        } catch (IOException e) {
            throw new TaskDriverException("driver " + NAME + ": no Docker engine at " + engine.socket() + " ("
                    + e.getMessage() + ")", e);
        }
        Optional<HostUser> user = launch.user().isPresent()
                ? Optional.of(HostUser.resolve(NAME, launch.user().get())) : Optional.empty();
        TaskLogs logs;
        try {
            logs = TaskLogs.prepare(launch.taskDir(), launch.task().taskName());
        } catch (IOException e) {
            throw new TaskDriverException("driver " + NAME + ": cannot prepare the task's logs: " + e.getMessage(), e);
        }

        SocketMount mount = launch.apiSocket(socketNeeds(user));
        Map<String, String> environment = launch.environmentWith(mount);
        String name = containerName(launch.task());
        String id = null;
        try {
            ObjectNode spec = containerSpec(launch, image, command, args, entrypoint, environment, user);
            id = create(name, image, spec);
            engine.start(id);
            LOG.info("docker task {} (alloc {}) started: container {} ({}), image {}", launch.task().taskName(),
                    launch.task().allocationId(), name, shortId(id), image);
            return ContainerTask.watch(engine, launch.task(), id, logs, Optional.empty());
        } catch (IOException | RuntimeException e) {
            if (id != null) {
                try {
                    engine.remove(id);
                } catch (IOException removeFailure) {
                    e.addSuppressed(removeFailure);
                }
            }
            throw new TaskDriverException(redact("driver " + NAME + ": cannot run image " + image + " for task "
                    + launch.task().taskName() + ": " + e.getMessage(), environment), e);
        }
    }

    /**
     * Finds a container this driver started before the agent restarted. The engine, not the agent, owns containers, so
     * the handle is just the container's id.
     *
     * <ul>
     *   <li>running: the socket is requested again, as at start (the secrets directory is bind-mounted, so the
     *       socket the Task API opens again at the same path is the one the container sees), and a thread waits for
     *       the container as after a start;</li>
     *   <li>exited: its {@code State.ExitCode}, its output appended to the logs and the container removed, as after
     *       any end;</li>
     *   <li>gone, or a handle this driver cannot read: a {@link TaskDriverException} (an unreadable handle first
     *       removes the container by its name, {@code <task>-<alloc id>}).</li>
     * </ul>
     */
    @Override
    public RunningTask recover(TaskLaunch launch, TaskHandle handle) throws TaskDriverException {
        requireNonNull(launch, "launch is null");
        requireNonNull(handle, "handle is null");
        String task = launch.task().taskName();
        String id;
        try {
            if (!NAME.equals(handle.driver()) || handle.version() != ContainerTask.HANDLE_VERSION) {
                throw new TaskDriverException("driver " + NAME + ": the task's handle is driver " + handle.driver()
                        + "'s, version " + handle.version() + "; this driver reads its own, version "
                        + ContainerTask.HANDLE_VERSION);
            }
            id = handle.require(ContainerTask.CONTAINER_ID);
        } catch (TaskDriverException e) {
            removeQuietly(containerName(launch.task()), e);
            throw e;
        }
        Optional<DockerEngine.ContainerState> state;
        try {
            state = engine.inspect(id);
        } catch (IOException e) {
            throw new TaskDriverException("driver " + NAME + ": cannot recover task " + task + ": cannot inspect"
                    + " container " + shortId(id) + " at " + engine.socket() + " (" + e.getMessage() + ")", e);
        }
        if (state.isEmpty()) {
            throw new TaskDriverException("driver " + NAME + ": cannot recover task " + task + ": container "
                    + shortId(id) + " no longer exists, so its exit code is lost");
        }
        TaskLogs logs;
        try {
            logs = TaskLogs.prepare(launch.taskDir(), task);
        } catch (IOException e) {
            removeQuietly(id, e);
            throw new TaskDriverException("driver " + NAME + ": cannot prepare the task's logs: " + e.getMessage(), e);
        }
        if (!state.get().running()) {
            LOG.info("docker task {} (alloc {}) recovered: container {} ended with exit code {} while the agent was"
                    + " down", task, launch.task().allocationId(), shortId(id), state.get().exitCode());
            return ContainerTask.ended(engine, launch.task(), id, logs, state.get().exitCode());
        }
        try {
            Optional<HostUser> user = launch.user().isPresent()
                    ? Optional.of(HostUser.resolve(NAME, launch.user().get())) : Optional.empty();
            launch.apiSocket(socketNeeds(user));
        } catch (TaskDriverException e) {
            removeQuietly(id, e);   // force-removal kills it: it must not run without its API
            throw e;
        }
        LOG.info("docker task {} (alloc {}) recovered: container {} still runs", task, launch.task().allocationId(),
                shortId(id));
        // Only what the container printed while nobody followed it: the logs hold what came before.
        return ContainerTask.watch(engine, launch.task(), id, logs, ContainerTask.since(logs));
    }

    /** The same request at start and at recovery: the Task API refuses another one for the same task. */
    private SocketNeeds socketNeeds(Optional<HostUser> user) {
        SocketNeeds needs = SocketNeeds.of(isolation());
        return user.map(u -> needs.withUser(u.name())).orElse(needs);
    }

    private void removeQuietly(String idOrName, Exception failure) {
        try {
            engine.remove(idOrName);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Creates the container, pulling the image when the engine lacks it and replacing a leftover of this task. */
    private String create(String name, String image, ObjectNode spec) throws IOException {
        try {
            return engine.createContainer(name, spec);
        } catch (DockerEngine.EngineError e) {
            if (e.status() == 404) {
                LOG.info("docker: pulling {}", image);
                engine.pullImage(image);
            } else if (e.status() == 409) {
                // The name holds the allocation id: a container by that name is this task's, left by an agent that
                // died before removing it.
                LOG.info("docker: removing the leftover container {}", name);
                engine.remove(name);
            } else {
                throw e;
            }
            return engine.createContainer(name, spec);
        }
    }

    private static ObjectNode containerSpec(TaskLaunch launch, String image, Optional<String> command,
                                            List<String> args, List<String> entrypoint,
                                            Map<String, String> environment, Optional<HostUser> user) {
        ObjectNode spec = DockerEngine.mapper().createObjectNode();
        spec.put("Image", image);
        // Nomad's rule: command + args make Cmd; args alone are Cmd; neither keeps the image's CMD.
        if (command.isPresent()) {
            ArrayNode cmd = spec.putArray("Cmd").add(command.get());
            args.forEach(cmd::add);
        } else if (!args.isEmpty()) {
            ArrayNode cmd = spec.putArray("Cmd");
            args.forEach(cmd::add);
        }
        if (!entrypoint.isEmpty()) {
            ArrayNode entry = spec.putArray("Entrypoint");
            entrypoint.forEach(entry::add);
        }
        ArrayNode env = spec.putArray("Env");
        new TreeMap<>(environment).forEach((key, value) -> env.add(key + "=" + value));
        user.ifPresent(u -> spec.put("User", u.uid() + ":" + u.gid()));
        TaskRef task = launch.task();
        ObjectNode labels = spec.putObject("Labels");
        labels.put("com.hashicorp.nomad.alloc_id", task.allocationId());
        labels.put("com.hashicorp.nomad.namespace", task.namespace());
        labels.put("com.hashicorp.nomad.job_name", task.jobId());
        labels.put("com.hashicorp.nomad.task_group_name", task.group());
        labels.put("com.hashicorp.nomad.task_name", task.taskName());
        ObjectNode host = spec.putObject("HostConfig");
        // The directory, not the socket file: a socket the Task API re-creates after an agent restart stays visible.
        // Nomad's three mounts. The alloc and local directories are where Nomad's layout (and the agent's) has them:
        // <alloc>/alloc beside the task directory, and the task directory's local/.
        Path allocDir = launch.taskDir().toAbsolutePath().getParent().resolve("alloc");
        host.putArray("Binds")
                .add(allocDir + ":" + CONTAINER_ALLOC_DIR)
                .add(launch.taskDir().toAbsolutePath().resolve("local") + ":" + CONTAINER_LOCAL_DIR)
                .add(launch.secretsDir() + ":" + CONTAINER_SECRETS_DIR);
        return spec;
    }

    /**
     * @param image an image reference
     * @return it with {@code :latest} when it names neither a tag nor a digest, as Nomad and the docker CLI do: the
     *     engine would pull every tag of a bare name, then not find {@code :latest} at create
     */
    static String withDefaultTag(String image) {
        String lastPart = image.substring(image.lastIndexOf('/') + 1);   // a registry's host:port has a ':' too
        return lastPart.contains(":") || lastPart.contains("@") ? image : image + ":latest";
    }

    /**
     * Nomad's {@code <task>-<alloc id>}, with characters Docker refuses in a name replaced by {@code _} (and a
     * {@code task} prefix when the first one is not a letter or digit).
     */
    static String containerName(TaskRef task) {
        String raw = task.taskName() + "-" + task.allocationId();
        StringBuilder name = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            name.append(allowed ? c : '_');
        }
        char first = name.charAt(0);
        boolean alphanumeric = Character.isLetterOrDigit(first) && first < 128;
        return alphanumeric ? name.toString() : "task" + name;   // Docker: the first character must be [a-zA-Z0-9]
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The engine's messages are shown as they are, but never with a token from the task's environment in them. */
    private static String redact(String message, Map<String, String> environment) {
        String result = message;
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            if (entry.getKey().startsWith("NOMAD_TOKEN") && entry.getValue().length() >= 8) {
                result = result.replace(entry.getValue(), "<redacted>");
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "DockerDriver[" + engine.socket() + "]";
    }
}
