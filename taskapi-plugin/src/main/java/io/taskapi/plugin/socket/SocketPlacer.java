package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.config.SocketConfig;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.config.TaskApiConfig.OwnershipFallback;
import io.taskapi.plugin.os.PosixProcess;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import io.taskapi.spi.driver.SocketUnavailableException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a task's socket at {@code <secrets>/api.sock} so that nobody but the task user can ever connect to it, and
 * so that secrets paths longer than {@code sun_path} (108 bytes) work. The order of steps is the one measured in
 * socket-recipe.md:
 *
 * <ol>
 *   <li>make {@code <secrets>/.api-stage} (0700, ours), after removing one left by a crash;
 *   <li>make a short symbolic link {@code <socket.link-dir>/<random>} to it, in a directory only the agent can use;
 *   <li>bind through the link (no {@code deleteOnClose}, no {@code reuseAddress}): the socket file appears in the
 *       stage, where only root can reach it although junixsocket makes it 0666;
 *   <li>give it to the task user and make it 0600 (or 0666 when the task has no user);
 *   <li>{@code link(2)} it to {@code <secrets>/api.sock}, replacing a stale file but never a live socket.
 * </ol>
 *
 * <p><b>What this requires.</b> The secrets directory and every directory above it are made by the agent and cannot be
 * written by the task user or any other unprivileged user; {@link SecretsDirectoryCheck} refuses the request
 * otherwise ({@link Reason#UNSAFE_DIRECTORY}). junixsocket binds, chmods and unlinks by name; a user who
 * could rename entries in the secrets directory could race those steps (plant a symbolic link between the bind and the
 * chmod, say). Within that assumption this class still checks what it cheaply can: the stage's and the socket's
 * (dev, inode) are recorded when made and checked after the bind, after chown/chmod, after the link, and before
 * anything is removed; ownership is changed with {@code lchown}; the link directory must be a directory owned by the
 * agent with no group or other permissions, below parents that only root or the agent can rename.
 *
 * <p>When the task has a user and the socket cannot be given to it (the agent is not root, say), the socket is
 * refused ({@link Reason#OWNERSHIP_FAILED}) unless {@code socket.ownership-fallback} is {@code world-accessible}, in
 * which case it is left 0666 and a warning is logged. Every failure leaves nothing behind.
 */
public final class SocketPlacer {
    /** The name of the socket in the secrets directory (and in the stage). */
    public static final String SOCKET_NAME = "api.sock";
    /** The private directory in the secrets directory the socket is bound in. */
    public static final String STAGE_NAME = ".api-stage";

    private static final Logger LOG = LoggerFactory.getLogger(SocketPlacer.class);
    private static final int BACKLOG = 128;
    private static final int LINK_ID_LENGTH = 10;
    private static final int LINK_ATTEMPTS = 5;
    private static final char[] LINK_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_RW = PosixFilePermissions.fromString("rw-rw-rw-");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_ATTRIBUTE =
            PosixFilePermissions.asFileAttribute(OWNER_ONLY);

    private final Path linkDir;
    private final OwnershipFallback ownershipFallback;
    private final UserDirectory users;
    private final OwnershipChanger ownership;
    private final int agentUid;
    private final SecretsDirectoryCheck secretsDirCheck;
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean danglingLinksRemoved = new AtomicBoolean();

    /**
     * @param config where the short links go and what to do when ownership cannot be set
     * @param users finds the task user's uid and group
     * @param ownership gives the socket to the task user
     */
    @Inject
    public SocketPlacer(SocketConfig config, UserDirectory users, OwnershipChanger ownership) {
        requireNonNull(config, "config is null");
        this.linkDir = config.socketLinkDir();
        this.ownershipFallback = config.ownershipFallback();
        this.users = requireNonNull(users, "users is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.agentUid = PosixProcess.effectiveUid();
        this.secretsDirCheck = new SecretsDirectoryCheck(agentUid);
    }

    /**
     * Creates, owns and exposes the task's socket.
     *
     * @param request which task, where, for which user
     * @return the listening socket, already non-blocking and exposed at {@code <secrets>/api.sock}
     * @throws SocketUnavailableException when it cannot be done; nothing is left behind then
     */
    public PlacedSocket place(SocketRequest request) throws SocketUnavailableException {
        requireNonNull(request, "request is null");
        Path secrets = request.hostSecretsDir();
        checkSecretsDir(secrets);
        secretsDirCheck.check(secrets);
        Optional<TaskUser> user = resolveUser(request);
        ensureLinkDir();

        Path hostPath = secrets.resolve(SOCKET_NAME);
        Path stageDir = secrets.resolve(STAGE_NAME);
        FileStat stageStat = null;
        Path linkPath = null;
        AFUNIXServerSocketChannel channel = null;
        FileStat socketStat = null;
        try {
            removeLeftoverStage(stageDir);
            Files.createDirectory(stageDir, OWNER_ONLY_ATTRIBUTE);
            stageStat = FileStat.of(stageDir).orElseThrow(() -> changed(stageDir));
            if (!stageStat.isDirectory() || stageStat.uid() != agentUid || (stageStat.permissions() & 077) != 0) {
                throw changed(stageDir);
            }
            linkPath = createLink(stageDir);
            Path bindPath = linkPath.resolve(SOCKET_NAME);

            channel = AFUNIXServerSocketChannel.open();
            // Both defaults are dangerous: deleteOnClose unlinks by name without checking the inode, and
            // reuseAddress takes over the path of a live socket (socket-recipe.md, findings 2 and 3).
            channel.socket().setDeleteOnClose(false);
            channel.socket().setReuseAddress(false);
            channel.bind(AFUNIXSocketAddress.of(bindPath), BACKLOG);
            channel.configureBlocking(false);

            socketStat = FileStat.of(stageDir.resolve(SOCKET_NAME)).orElseThrow(() -> changed(stageDir));
            verify(stageDir, stageStat, bindPath, socketStat);
            OptionalInt ownerUid = setOwnerAndMode(request, user, bindPath, stageDir.resolve(SOCKET_NAME));
            verify(stageDir, stageStat, bindPath, socketStat);

            PlacedSocket placed = new PlacedSocket(channel, hostPath, stageDir, stageStat, linkPath, socketStat,
                    ownerUid);
            placed.expose();
            return placed;
        } catch (SocketUnavailableException e) {
            PlacedSocket.teardown(channel, hostPath, stageDir, stageStat, linkPath, socketStat);
            throw e;
        } catch (IOException | RuntimeException e) {
            PlacedSocket.teardown(channel, hostPath, stageDir, stageStat, linkPath, socketStat);
            throw new SocketUnavailableException(Reason.IO_FAILURE,
                    "could not create the task socket at " + hostPath + ": " + e, e);
        }
    }

    private void checkSecretsDir(Path secrets) throws SocketUnavailableException {
        Optional<FileStat> stat;
        try {
            stat = FileStat.of(secrets);
        } catch (IOException e) {
            throw new SocketUnavailableException(Reason.INVALID_REQUEST,
                    "cannot read the secrets directory " + secrets + ": " + e, e);
        }
        if (stat.isEmpty() || !stat.get().isDirectory()) {
            throw new SocketUnavailableException(Reason.INVALID_REQUEST, "the secrets directory " + secrets
                    + (stat.isEmpty() ? " does not exist" : " is a " + stat.get().describe() + ", not a directory"));
        }
    }

    private Optional<TaskUser> resolveUser(SocketRequest request) throws SocketUnavailableException {
        if (request.taskUser().isEmpty()) {
            return Optional.empty();
        }
        String name = request.taskUser().get();
        Optional<TaskUser> user;
        try {
            user = users.lookup(name);
        } catch (IOException e) {
            throw new SocketUnavailableException(Reason.IO_FAILURE,
                    "could not look up the task user '" + name + "': " + e.getMessage(), e);
        }
        if (user.isEmpty()) {
            throw new SocketUnavailableException(Reason.UNKNOWN_USER,
                    "the task user '" + name + "' does not exist on this host");
        }
        return user;
    }

    /** Makes the link directory if needed and refuses one that anybody but the agent could use. */
    private void ensureLinkDir() throws SocketUnavailableException {
        try {
            if (FileStat.of(linkDir).isEmpty()) {
                Files.createDirectories(linkDir, OWNER_ONLY_ATTRIBUTE);
            }
            FileStat stat = FileStat.of(linkDir).orElseThrow(() -> changed(linkDir));
            if (!stat.isDirectory() || stat.uid() != agentUid || (stat.permissions() & 077) != 0) {
                throw new SocketUnavailableException(Reason.IO_FAILURE, "the socket link directory " + linkDir
                        + " must be a directory owned by uid " + agentUid + " with no group or other permissions,"
                        + " but it is a " + stat.describe() + "; fix it or set " + TaskApiConfig.SOCKET_LINK_DIR);
            }
            checkLinkDirParents();
            if (danglingLinksRemoved.compareAndSet(false, true)) {
                removeDanglingLinks();
            }
        } catch (IOException e) {
            throw new SocketUnavailableException(Reason.IO_FAILURE,
                    "could not prepare the socket link directory " + linkDir + ": " + e, e);
        }
    }

    /** A parent that others can write (without the sticky bit) would let them rename the link directory away. */
    private void checkLinkDirParents() throws IOException, SocketUnavailableException {
        for (Path dir = linkDir.toRealPath().getParent(); dir != null; dir = dir.getParent()) {
            FileStat stat = FileStat.of(dir).orElseThrow(() -> changed(linkDir));
            boolean trustedOwner = stat.uid() == 0 || stat.uid() == agentUid;
            boolean othersCanRename = (stat.permissions() & 022) != 0 && (stat.permissions() & 01000) == 0;
            if (!trustedOwner || othersCanRename) {
                throw new SocketUnavailableException(Reason.IO_FAILURE, "the socket link directory " + linkDir
                        + " is below " + dir + " (" + stat.describe() + "), which users other than root and the"
                        + " agent could change; set " + TaskApiConfig.SOCKET_LINK_DIR + " to a safer place");
            }
        }
    }

    /** Links left by a crashed agent point at stages that are gone; they serve nobody. */
    private void removeDanglingLinks() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(linkDir)) {
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry) && !Files.exists(entry)) {
                    Files.deleteIfExists(entry);
                    LOG.debug("Removed dangling socket link {}", entry);
                }
            }
        }
    }

    /**
     * A crash between bind and teardown leaves the stage behind. Its entries are removed relative to the opened
     * directory (unlinkat), after checking that the opened directory is the one looked at: a stage swapped for a
     * symbolic link in between can never redirect the removal elsewhere.
     */
    private void removeLeftoverStage(Path stageDir) throws IOException, SocketUnavailableException {
        Optional<FileStat> stat = FileStat.of(stageDir);
        if (stat.isEmpty()) {
            return;
        }
        if (stat.get().isDirectory()) {
            Object expectedKey = Files.readAttributes(stageDir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(stageDir)) {
                if (!(stream instanceof SecureDirectoryStream<Path> entries)
                        || !entries.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey()
                        .equals(expectedKey)) {
                    throw changed(stageDir);
                }
                for (Path entry : entries) {
                    Path name = entry.getFileName();
                    BasicFileAttributes attributes = entries.getFileAttributeView(name, BasicFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS).readAttributes();
                    if (attributes.isDirectory()) {
                        throw new SocketUnavailableException(Reason.IO_FAILURE, "the leftover " + stageDir
                                + " holds a directory, which this agent never makes; remove it by hand");
                    }
                    entries.deleteFile(name);
                }
            }
        }
        // rmdir/unlink by name: on a directory swapped in since, rmdir fails or removes an empty directory.
        Files.delete(stageDir);
        removeLinksTo(stageDir);
        LOG.info("Removed a leftover {} ({})", stageDir, stat.get().describe());
    }

    /**
     * Links a crashed agent made to a stage it left behind would point at the new stage otherwise. Other placements
     * (an agent recovering its tasks places their sockets at once) add and remove their own links meanwhile: a link
     * gone between the listing and the reading is none of this stage's.
     */
    private void removeLinksTo(Path stageDir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(linkDir)) {
            for (Path entry : entries) {
                try {
                    if (Files.isSymbolicLink(entry) && Files.readSymbolicLink(entry).equals(stageDir)) {
                        Files.deleteIfExists(entry);
                    }
                } catch (NoSuchFileException e) {
                    // removed by another placement since the listing
                }
            }
        }
    }

    private Path createLink(Path stageDir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path link = linkDir.resolve(randomId());
            try {
                return Files.createSymbolicLink(link, stageDir);
            } catch (FileAlreadyExistsException e) {
                if (attempt == LINK_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private String randomId() {
        char[] id = new char[LINK_ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = LINK_ID_ALPHABET[random.nextInt(LINK_ID_ALPHABET.length)];
        }
        return new String(id);
    }

    /** @return the uid only the socket's peers may have, if any */
    private OptionalInt setOwnerAndMode(SocketRequest request, Optional<TaskUser> user, Path bindPath,
                                        Path stageSocket) throws IOException, SocketUnavailableException {
        if (user.isEmpty()) {
            // junixsocket's bind already made it 0666; a chmod by name would only be one more step to race.
            if (FileStat.of(stageSocket).orElseThrow(() -> changed(stageSocket)).permissions() != 0666) {
                Files.setPosixFilePermissions(bindPath, WORLD_RW);
            }
            return OptionalInt.empty();
        }
        TaskUser taskUser = user.get();
        try {
            ownership.changeOwner(bindPath, taskUser.uid(), taskUser.gid());
        } catch (IOException e) {
            String what = "could not give the socket of task " + request.task().taskName() + " in allocation "
                    + request.task().allocationId() + " to user '" + taskUser.name() + "' (uid " + taskUser.uid()
                    + "): " + e.getMessage();
            if (ownershipFallback == OwnershipFallback.FAIL_CLOSED) {
                throw new SocketUnavailableException(Reason.OWNERSHIP_FAILED, what
                        + "; refusing to open it for every local user (set " + TaskApiConfig.SOCKET_OWNERSHIP_FALLBACK
                        + "=world-accessible to allow that)", e);
            }
            LOG.warn("{}; {} is world-accessible, so any local user can connect to {} (mode 0666)", what,
                    TaskApiConfig.SOCKET_OWNERSHIP_FALLBACK, request.hostSecretsDir().resolve(SOCKET_NAME));
            Files.setPosixFilePermissions(bindPath, WORLD_RW);
            // The HTTP layer still checks the peer's uid against the task user.
            return OptionalInt.of(taskUser.uid());
        }
        // A NOFOLLOW chmod opens the file, which fails (ENXIO) on sockets; the bind path's last component is the
        // socket itself, checked just before and just after.
        Files.setPosixFilePermissions(bindPath, OWNER_RW);
        FileStat stat = FileStat.of(stageSocket).orElseThrow(() -> changed(stageSocket));
        if (stat.uid() != taskUser.uid() || stat.permissions() != 0600) {
            throw new SocketUnavailableException(Reason.IO_FAILURE,
                    "the task socket is a " + stat.describe() + " after chown and chmod, not uid " + taskUser.uid()
                            + " mode 0600");
        }
        return OptionalInt.of(taskUser.uid());
    }

    /** The stage is still the directory we made, and both the private name and the bind path lead to the socket. */
    private static void verify(Path stageDir, FileStat stageStat, Path bindPath, FileStat socketStat)
            throws IOException {
        Optional<FileStat> stage = FileStat.of(stageDir);
        Optional<FileStat> socket = FileStat.of(stageDir.resolve(SOCKET_NAME));
        Optional<FileStat> bound = FileStat.following(bindPath);
        if (stage.isEmpty() || !stage.get().sameFile(stageStat)
                || socket.isEmpty() || !socket.get().sameFile(socketStat) || !socket.get().isSocket()
                || bound.isEmpty() || !bound.get().sameFile(socketStat)) {
            throw changed(stageDir);
        }
    }

    private static IOException changed(Path path) {
        return new IOException(path + " changed while the task socket was being made; is the secrets directory"
                + " writable by someone other than the agent?");
    }
}
