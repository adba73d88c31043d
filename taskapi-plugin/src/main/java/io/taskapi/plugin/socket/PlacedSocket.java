package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.SocketUnavailableException;
import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound, owned and exposed task socket, and everything needed to take it down again: the listening channel, the
 * private name it was bound under ({@code <secrets>/.api-stage/api.sock}), the root-only symbolic link it was bound
 * through, and the inode all of them must still lead to.
 *
 * <p>junixsocket's accept() closes the listener for good once its bound name no longer leads to its socket, so the
 * symbolic link and the private name are kept for as long as the listener lives (socket-recipe.md, finding 1).
 *
 * <p>Not thread-safe: {@link TaskSocketRegistry} serializes everything done to one task's socket.
 */
public final class PlacedSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlacedSocket.class);
    private static final String PROBE_NAME = "probe.sock";
    private static final int EXPOSE_ATTEMPTS = 3;

    private final AFUNIXServerSocketChannel channel;
    private final Path hostPath;
    private final Path stageDir;
    private final FileStat stageStat;
    private final Path linkPath;
    private final FileStat socketStat;
    private final OptionalInt ownerUid;
    private boolean closed;

    PlacedSocket(AFUNIXServerSocketChannel channel, Path hostPath, Path stageDir, FileStat stageStat, Path linkPath,
                 FileStat socketStat, OptionalInt ownerUid) {
        this.channel = requireNonNull(channel, "channel is null");
        this.hostPath = requireNonNull(hostPath, "hostPath is null");
        this.stageDir = requireNonNull(stageDir, "stageDir is null");
        this.stageStat = requireNonNull(stageStat, "stageStat is null");
        this.linkPath = requireNonNull(linkPath, "linkPath is null");
        this.socketStat = requireNonNull(socketStat, "socketStat is null");
        this.ownerUid = requireNonNull(ownerUid, "ownerUid is null");
    }

    /** @return the listening channel, non-blocking, for {@link UnixSocketConnector#register} */
    public AFUNIXServerSocketChannel channel() {
        return channel;
    }

    /** @return where the socket is exposed: {@code <secrets>/api.sock} */
    public Path hostPath() {
        return hostPath;
    }

    /** @return the short name the socket was bound through: {@code <linkDir>/<id>/api.sock} */
    public Path bindPath() {
        return linkPath.resolve(SocketPlacer.SOCKET_NAME);
    }

    /** @return the task user's uid when the task has a user (even when the socket fell back to mode 0666) */
    public OptionalInt ownerUid() {
        return ownerUid;
    }

    /**
     * @return whether the listener is open and its bound name still leads to it; when not, junixsocket has closed or
     *     will close it at the next connection, and the socket must be placed again
     */
    public boolean isListening() {
        if (closed || !channel.isOpen()) {
            return false;
        }
        try {
            return sameAs(FileStat.of(stageDir), stageStat)
                    && sameAs(FileStat.of(stageSocket()), socketStat)
                    && sameAs(FileStat.following(bindPath()), socketStat);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure {@code <secrets>/api.sock} is this socket: links it there when the name is free, leaves it when it
     * already is this socket, and replaces a stale file (a regular file, a symbolic link, a dead socket).
     *
     * @throws SocketUnavailableException when a live socket this agent did not make, or a directory, has the name
     */
    public void expose() throws SocketUnavailableException {
        if (closed) {
            throw new SocketUnavailableException(Reason.CLOSED, "the socket at " + hostPath + " is closed");
        }
        try {
            for (int attempt = 0; attempt < EXPOSE_ATTEMPTS; attempt++) {
                Optional<FileStat> found = FileStat.of(hostPath);
                if (found.isEmpty()) {
                    try {
                        // link(2) refuses (EEXIST) rather than replacing whatever appeared in the meantime.
                        Files.createLink(hostPath, stageSocket());
                    } catch (FileAlreadyExistsException e) {
                        continue;
                    }
                    if (!sameAs(FileStat.of(hostPath), socketStat)) {
                        throw new SocketUnavailableException(Reason.IO_FAILURE,
                                hostPath + " changed while the task socket was being exposed");
                    }
                    return;
                }
                if (found.get().sameFile(socketStat)) {
                    return;
                }
                removeStale(found.get());
            }
        } catch (IOException e) {
            throw new SocketUnavailableException(Reason.IO_FAILURE,
                    "could not expose the task socket at " + hostPath + ": " + e.getMessage(), e);
        }
        throw new SocketUnavailableException(Reason.IO_FAILURE,
                hostPath + " kept being replaced while the task socket was being exposed");
    }

    /**
     * Stops listening and removes every name this socket made, each only while it still leads to the inode that was
     * made. Idempotent; failures are logged, not thrown.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        teardown(channel, hostPath, stageDir, stageStat, linkPath, socketStat);
    }

    /**
     * Takes down a socket or what was made of it so far (any argument after {@code hostPath} may be null).
     * Order matters: the listener first, so that removing its names cannot make junixsocket abort a connection.
     */
    static void teardown(AFUNIXServerSocketChannel channel, Path hostPath, Path stageDir, FileStat stageStat,
                         Path linkPath, FileStat socketStat) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Could not close the task socket listener for {}: {}", hostPath, e.toString());
            }
        }
        boolean stageIsOurs = stageDir != null && stageStat != null && stillSame(stageDir, stageStat);
        if (socketStat != null) {
            deleteIfSame(hostPath, socketStat);
            if (stageIsOurs) {
                deleteIfSame(stageDir.resolve(SocketPlacer.SOCKET_NAME), socketStat);
            }
        }
        if (stageIsOurs) {
            try {
                Files.deleteIfExists(stageDir.resolve(PROBE_NAME));
                Files.deleteIfExists(stageDir);
            } catch (DirectoryNotEmptyException e) {
                LOG.warn("Left {} in place: it holds files this agent did not make", stageDir);
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", stageDir, e.toString());
            }
        }
        if (linkPath != null) {
            try {
                // The link lives in the agent's own directory: nobody else can have replaced it.
                Files.deleteIfExists(linkPath);
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", linkPath, e.toString());
            }
        }
    }

    private void removeStale(FileStat found) throws IOException, SocketUnavailableException {
        if (found.isDirectory()) {
            throw new SocketUnavailableException(Reason.INVALID_REQUEST,
                    hostPath + " is a directory; refusing to replace it with the task socket");
        }
        if (found.isSocket() && isLive(found)) {
            throw new SocketUnavailableException(Reason.IO_FAILURE, hostPath
                    + " is a live socket that this agent did not open for this task; refusing to replace it");
        }
        if (deleteIfSame(hostPath, found)) {
            LOG.info("Replaced a stale {} at {}", found.describe(), hostPath);
        }
    }

    /**
     * Whether something accepts connections on the socket file {@code found}. The host path may be longer than
     * {@code sun_path}, so the file is hard-linked into the private stage and reached through the short link.
     */
    private boolean isLive(FileStat found) throws IOException {
        Path probe = stageDir.resolve(PROBE_NAME);
        Files.deleteIfExists(probe);
        try {
            Files.createLink(probe, hostPath);
            if (!sameAs(FileStat.of(probe), found)) {
                return true; // it changed under us: do not touch it this round
            }
            try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                // Non-blocking: a live listener with a full backlog must not hang the agent.
                client.configureBlocking(false);
                client.connect(UnixDomainSocketAddress.of(linkPath.resolve(PROBE_NAME)));
                return true;
            } catch (ConnectException e) {
                return false; // ECONNREFUSED: nobody listens, a leftover from an earlier run
            } catch (IOException e) {
                // EACCES and the like: we cannot tell, so treat it as live and leave it alone.
                LOG.debug("Could not probe {}: {}", hostPath, e.toString());
                return true;
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private Path stageSocket() {
        return stageDir.resolve(SocketPlacer.SOCKET_NAME);
    }

    private static boolean sameAs(Optional<FileStat> found, FileStat expected) {
        return found.isPresent() && found.get().sameFile(expected);
    }

    private static boolean stillSame(Path path, FileStat expected) {
        try {
            return sameAs(FileStat.of(path), expected);
        } catch (IOException e) {
            return false;
        }
    }

    /** Unlinks {@code path} if it still is {@code expected}; the window between the check and the unlink is tiny. */
    private static boolean deleteIfSame(Path path, FileStat expected) {
        try {
            if (sameAs(FileStat.of(path), expected)) {
                Files.deleteIfExists(path);
                return true;
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", path, e.toString());
        }
        return false;
    }

    @Override
    public String toString() {
        return "PlacedSocket[" + hostPath + " via " + bindPath() + "]";
    }
}
