package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A task made by {@link TaskApiExtension#newTask}: its directories exist (the secrets directory 0755, not writable by
 * other users), its allocation is live, and the extension's Task API can open its socket.
 *
 * <pre>{@code
 * TestTask task = api.newTask("web");
 * task.openSocket();
 * assertThat(task.client().get("/v1/client/metadata").token(task.identity()).send().status()).isEqualTo(200);
 * }</pre>
 */
public final class TestTask {
    /** The socket's file name in the secrets directory. */
    public static final String SOCKET_NAME = "api.sock";

    private final TaskApiExtension extension;
    private final TaskRef ref;
    private final Path taskDir;
    private final Path secretsDir;
    private UnixHttpClient client;

    TestTask(TaskApiExtension extension, TaskRef ref, Path taskDir, Path secretsDir) {
        this.extension = requireNonNull(extension, "extension is null");
        this.ref = requireNonNull(ref, "ref is null");
        this.taskDir = requireNonNull(taskDir, "taskDir is null");
        this.secretsDir = requireNonNull(secretsDir, "secretsDir is null");
    }

    /** @return which task this is */
    public TaskRef ref() {
        return ref;
    }

    /** @return the allocation id */
    public String allocationId() {
        return ref.allocationId();
    }

    /** @return the task directory on the host */
    public Path taskDir() {
        return taskDir;
    }

    /** @return the secrets directory on the host */
    public Path secretsDir() {
        return secretsDir;
    }

    /** @return where the socket goes: {@code <secretsDir>/api.sock} */
    public Path socketPath() {
        return secretsDir.resolve(SOCKET_NAME);
    }

    /**
     * @param user the task user, if any
     * @param isolation the driver's isolation
     * @return the request a driver would send for this task
     */
    public SocketRequest socketRequest(Optional<String> user, FilesystemIsolation isolation) {
        SocketNeeds needs = SocketNeeds.of(isolation);
        return SocketRequest.of(ref, secretsDir, user.map(needs::withUser).orElse(needs));
    }

    /**
     * Opens the task's socket with no task user and no isolation (a raw_exec task).
     *
     * @return the mount
     * @throws SocketUnavailableException when the Task API refuses
     */
    public SocketMount openSocket() throws SocketUnavailableException {
        return openSocket(Optional.empty(), FilesystemIsolation.NONE);
    }

    /**
     * Opens the task's socket for a task user, no isolation.
     *
     * @param user the host user the task runs as
     * @return the mount
     * @throws SocketUnavailableException when the Task API refuses, for example for an unknown user
     */
    public SocketMount openSocket(String user) throws SocketUnavailableException {
        return openSocket(Optional.of(requireNonNull(user, "user is null")), FilesystemIsolation.NONE);
    }

    /**
     * @param user the task user, if any
     * @param isolation the driver's isolation
     * @return the mount
     * @throws SocketUnavailableException when the Task API refuses
     */
    public SocketMount openSocket(Optional<String> user, FilesystemIsolation isolation)
            throws SocketUnavailableException {
        return extension.api().openSocket(socketRequest(user, isolation));
    }

    /**
     * @param environment the task's environment, without the socket's variables
     * @param user the task user, if any
     * @return a launch for a driver, whose sockets come from the extension's Task API
     */
    public TaskLaunch launch(Map<String, String> environment, Optional<String> user) {
        return launch(Map.of(), environment, user);
    }

    /**
     * @param config the task's {@code config} block
     * @param environment the task's environment, without the socket's variables
     * @param user the task user, if any
     * @return a launch for a driver, whose sockets come from the extension's Task API
     */
    public TaskLaunch launch(Map<String, Object> config, Map<String, String> environment, Optional<String> user) {
        Map<String, String> env = new HashMap<>();
        env.put("NOMAD_ALLOC_ID", ref.allocationId());
        env.put("NOMAD_NAMESPACE", ref.namespace());
        env.put("NOMAD_JOB_ID", ref.jobId());
        env.put("NOMAD_GROUP_NAME", ref.group());
        env.put("NOMAD_TASK_NAME", ref.taskName());
        env.putAll(requireNonNull(environment, "environment is null"));
        return TaskLaunch.builder(ref).taskDir(taskDir).secretsDir(secretsDir).config(config).environment(env)
                .user(user).sockets(extension.api()).build();
    }

    /** @return a launch with Nomad's basic task variables and no user, sockets from the extension's Task API */
    public TaskLaunch launch() {
        return launch(Map.of(), Optional.empty());
    }

    /**
     * Tells the Task API the task is done for good, as an agent does when it stops a task for the last time: its socket
     * is closed and its file removed.
     */
    public void release() {
        extension.api().release(ref);
    }

    /** @return a valid workload identity for this task, from the extension's issuer */
    public String identity() {
        return extension.issuer().mint(ref);
    }

    /** @return a builder for a workload identity naming this task, to make a bad one */
    public IdentityTokenBuilder identityBuilder() {
        return extension.issuer().token(ref);
    }

    /**
     * @return a client for this task's socket, through a short link when the path is too long to connect to; the
     *     extension closes it
     */
    public synchronized UnixHttpClient client() {
        if (client == null) {
            try {
                client = UnixHttpClient.forSocket(socketPath());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a client for " + socketPath(), e);
            }
            extension.closeLater(client);
        }
        return client;
    }

    /** Marks the allocation live again. */
    public void markLive() {
        extension.allocations().markLive(ref);
    }

    /** Marks the allocation terminal: its identities must stop working. */
    public void markTerminal() {
        extension.allocations().markTerminal(ref.allocationId());
    }

    /** Forgets the allocation (garbage collection). */
    public void forget() {
        extension.allocations().forget(ref.allocationId());
    }

    @Override
    public String toString() {
        return "TestTask[" + ref + ", secrets=" + secretsDir + "]";
    }
}
