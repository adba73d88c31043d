package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.SocketProvisioner;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import io.taskapi.spi.driver.SocketUnavailableException;
import jakarta.inject.Inject;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open task socket, by task. Opening is idempotent per (allocation id, task name): a task restart gets the same
 * live socket back, connections intact (re-exposed if its file was removed, re-created if its listener died). A
 * socket lives until the agent releases its task ({@link #release}, the task is done for good), as Nomad's
 * {@code api_hook} ties it to the task rather than to the driver's process. A listener that
 * junixsocket closes under us (its link or private name was removed) is re-created as soon as the connector notices,
 * behind the same mount. Closing the registry closes every socket; after that no socket can be opened.
 *
 * <p>Thread-safe. Work on one task's socket is serialized; different tasks proceed in parallel.
 */
public final class TaskSocketRegistry implements SocketProvisioner, AutoCloseable {
    /** Where image and chroot isolation put the secrets directory in the task's view. */
    public static final Path TASK_SECRETS_DIR = SocketNeeds.TASK_SECRETS_DIR;
    /** The environment variable with the task's view of its secrets directory. */
    public static final String NOMAD_SECRETS_DIR = "NOMAD_SECRETS_DIR";
    /** The environment variable with the socket's address, {@code unix://<task path>}. */
    public static final String NOMAD_UNIX_ADDR = "NOMAD_UNIX_ADDR";

    private static final Logger LOG = LoggerFactory.getLogger(TaskSocketRegistry.class);

    private final UnixSocketConnector connector;
    private final SocketPlacer placer;
    private final ConcurrentMap<TaskKey, Mount> mounts = new ConcurrentHashMap<>();
    // One socket per secrets directory: two tasks must never fight over one api.sock.
    private final ConcurrentMap<Path, TaskKey> secretsDirs = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param connector serves the sockets; must be started before the first socket is opened
     * @param placer creates the socket files
     */
    @Inject
    public TaskSocketRegistry(UnixSocketConnector connector, SocketPlacer placer) {
        this.connector = requireNonNull(connector, "connector is null");
        this.placer = requireNonNull(placer, "placer is null");
    }

    @Override
    public SocketMount openSocket(SocketRequest request) throws SocketUnavailableException {
        requireNonNull(request, "request is null");
        TaskKey key = TaskKey.of(request.task());
        while (true) {
            checkOpen();
            Mount mount = mounts.computeIfAbsent(key, k -> new Mount(k, request));
            synchronized (mount) {
                if (mount.retired) {
                    continue; // closed while we waited for it: start over with a fresh one
                }
                boolean opened = false;
                try {
                    mount.openLocked(request);
                    opened = true;
                    return mount.value;
                } finally {
                    if (!opened && mount.placed == null) {
                        mount.retireLocked();
                    }
                }
            }
        }
    }

    /**
     * The task is done for good: closes its socket and removes its file. Does nothing if it has none.
     *
     * @param task the task
     */
    public void release(TaskRef task) {
        requireNonNull(task, "task is null");
        Mount mount = mounts.get(TaskKey.of(task));
        if (mount != null) {
            mount.close();
        }
    }

    /** @return how many task sockets are open (listening) now */
    public int openSockets() {
        return open.get();
    }

    /**
     * @param task a task
     * @return its open socket, if it has one
     */
    public Optional<TaskSocket> socketOf(TaskRef task) {
        requireNonNull(task, "task is null");
        Mount mount = mounts.get(TaskKey.of(task));
        return mount == null ? Optional.empty() : Optional.ofNullable(mount.socket);
    }

    /** Closes every socket and refuses to open new ones. Idempotent. */
    @Override
    public void close() {
        closed = true;
        List<Mount> all = new ArrayList<>(mounts.values());
        for (Mount mount : all) {
            mount.close();
        }
        LOG.debug("Closed {} task sockets", all.size());
    }

    private void checkOpen() throws SocketUnavailableException {
        if (closed) {
            throw new SocketUnavailableException(Reason.CLOSED, "the Task API is closed");
        }
    }

    /** Tasks are identified within an agent by allocation and task name, as in Nomad. */
    private record TaskKey(String allocationId, String taskName) {
        static TaskKey of(TaskRef task) {
            return new TaskKey(task.allocationId(), task.taskName());
        }

        @Override
        public String toString() {
            return "task " + taskName + " of allocation " + allocationId;
        }
    }

    /** One task's socket. Its lock serializes everything done to the socket. */
    private final class Mount {
        private final TaskKey key;
        private final SocketRequest request;
        private final Path hostPath;
        private final SocketMount value;
        // Guarded by this; socket is volatile for lock-free reads in socketOf().
        private volatile TaskSocket socket;
        private PlacedSocket placed;
        private Closeable registration;
        private boolean retired;

        Mount(TaskKey key, SocketRequest request) {
            this.key = key;
            this.request = request;
            this.hostPath = request.hostSecretsDir().resolve(SocketPlacer.SOCKET_NAME);
            Path taskSecrets = request.taskSecretsDir();
            Path taskPath = taskSecrets.resolve(SocketPlacer.SOCKET_NAME);
            this.value = SocketMount.of(hostPath, taskPath, Map.of(NOMAD_SECRETS_DIR, taskSecrets.toString(),
                    NOMAD_UNIX_ADDR, "unix://" + taskPath));
        }

        void openLocked(SocketRequest again) throws SocketUnavailableException {
            if (!request.equals(again)) {
                throw new SocketUnavailableException(Reason.INVALID_REQUEST, "the socket of " + key
                        + " is already open " + describe(request) + "; it cannot be reopened " + describe(again));
            }
            if (placed != null) {
                if (placed.isListening()) {
                    placed.expose(); // the task restarted: put the file back if someone removed it
                    return;
                }
                LOG.warn("The socket of {} at {} stopped listening; creating it again", key, hostPath);
                releaseLocked();
            }
            placeLocked();
            if (closed) {
                // The registry closed while we were placing: do not leave a socket nobody will close.
                releaseLocked();
                throw new SocketUnavailableException(Reason.CLOSED, "the Task API is closed");
            }
        }

        private void placeLocked() throws SocketUnavailableException {
            Path secretsDir = request.hostSecretsDir();
            TaskKey holder = secretsDirs.putIfAbsent(secretsDir, key);
            if (holder != null && !holder.equals(key)) {
                throw new SocketUnavailableException(Reason.INVALID_REQUEST,
                        "the secrets directory " + secretsDir + " already holds the socket of " + holder);
            }
            PlacedSocket newPlaced = null;
            try {
                newPlaced = placer.place(request);
                TaskSocket newSocket = new TaskSocket(request, newPlaced.ownerUid(), newPlaced.hostPath(),
                        newPlaced.bindPath());
                registration = connector.register(newPlaced.channel(), newSocket, () -> relisten(newSocket));
                placed = newPlaced;
                socket = newSocket;
                open.incrementAndGet();
                LOG.debug("Opened the socket of {} at {}", key, hostPath);
            } catch (IllegalStateException e) {
                IO.close(newPlaced);
                secretsDirs.remove(secretsDir, key);
                throw new SocketUnavailableException(Reason.CLOSED,
                        "the Task API's HTTP server is not running: " + e.getMessage(), e);
            } catch (IOException e) {
                IO.close(newPlaced);
                secretsDirs.remove(secretsDir, key);
                throw new SocketUnavailableException(Reason.IO_FAILURE,
                        "could not serve the socket at " + hostPath + ": " + e.getMessage(), e);
            } catch (SocketUnavailableException | RuntimeException e) {
                IO.close(newPlaced);
                secretsDirs.remove(secretsDir, key);
                throw e;
            }
        }

        /** Called by the connector, on a pool thread, when {@code lost} stopped listening for good. */
        private synchronized void relisten(TaskSocket lost) {
            if (retired || closed || socket != lost) {
                return; // already closed or re-created
            }
            LOG.warn("The socket of {} at {} stopped listening; creating it again", key, hostPath);
            releaseLocked();
            try {
                placeLocked();
            } catch (SocketUnavailableException e) {
                // The mount stays, without a socket: the task's next openSocket (a restart) tries again.
                LOG.error("Could not re-create the socket of {} at {}: {}", key, hostPath, e.getMessage());
            }
        }

        /** Stops serving and removes the files; the mount stays in the registry. */
        private void releaseLocked() {
            if (placed == null) {
                return;
            }
            IO.close(registration);
            placed.close();
            registration = null;
            placed = null;
            socket = null;
            secretsDirs.remove(request.hostSecretsDir(), key);
            open.decrementAndGet();
            LOG.debug("Closed the socket of {} at {}", key, hostPath);
        }

        private void retireLocked() {
            retired = true;
            mounts.remove(key, this);
        }

        synchronized void close() {
            if (retired) {
                return;
            }
            releaseLocked();
            retireLocked();
        }

        private String describe(SocketRequest r) {
            return "(secrets directory " + r.hostSecretsDir() + ", user " + r.taskUser().orElse("<none>")
                    + ", isolation " + r.isolation() + ", task secrets directory " + r.taskSecretsDir()
                    + ", job " + r.task().jobId() + ", group " + r.task().group()
                    + ", namespace " + r.task().namespace() + ")";
        }

        @Override
        public String toString() {
            return "Mount[" + key + " at " + hostPath + "]";
        }
    }
}
