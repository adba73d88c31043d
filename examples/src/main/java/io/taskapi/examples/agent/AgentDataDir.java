package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's data directory and its layout:
 *
 * <pre>
 * DATA/              0711  traversable, so that a task's user can reach its own task directory
 *   node-id                this node's id, kept across restarts
 *   keys/            0700  identity-rs256.pem (0600): the key that signs workload identities
 *   tls/             0700  agent.crt, agent.key: the operator listener's certificate (not in -dev)
 *   state/           0700  the plugin's embedded store (state.data-dir)
 *   client/          0700  jobs/, allocs/: the agent's own durable record of its jobs, allocations, task states,
 *                          events and driver handles ({@link ClientState}), read back at start to recover tasks
 *   l/               0700  the plugin's short socket links (socket.link-dir), when DATA is short enough
 *   alloc/           0711  ALLOC-ID/{alloc,TASK/{local,secrets,tmp}}
 * </pre>
 *
 * <p>A temporary one ({@code -dev} without {@code -data-dir}) is deleted, whole, at {@link #close()}.
 */
public final class AgentDataDir implements AutoCloseable {
    /** The plugin refuses link directories longer than this. */
    private static final int MAX_LINK_DIR_LENGTH = 64;
    private static final Set<PosixFilePermission> TRAVERSABLE = PosixFilePermissions.fromString("rwx--x--x");
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final boolean temporary;
    private final Path socketLinkDir;
    private final Thread cleanup;
    private volatile boolean inUse;

    private AgentDataDir(Path root, boolean temporary) {
        this.root = root;
        this.temporary = temporary;
        Path inside = root.resolve("l");
        this.socketLinkDir = inside.toString().length() <= MAX_LINK_DIR_LENGTH ? inside : outsideLinkDir(root);
        // A temporary directory must not outlive a JVM stopped while the agent was still starting; once the agent
        // runs, its own shutdown (which stops the tasks first) removes the directory instead.
        this.cleanup = new Thread(() -> {
            if (!inUse) {
                deleteRecursively(root);
            }
        }, "taskapi-data-dir-cleanup");
        if (temporary) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
    }

    /** Hands the directory to a running agent: from now on only {@link #close()} removes a temporary one. */
    void markInUse() {
        inUse = true;
    }

    /**
     * Creates or checks the directory.
     *
     * @param configured the directory to use, or empty for a new temporary one
     * @return the data directory, its fixed subdirectories made
     * @throws IOException when it cannot be made, or exists with permissions that would let others tamper with it
     */
    public static AgentDataDir open(Optional<Path> configured) throws IOException {
        requireNonNull(configured, "configured is null");
        AgentDataDir dir;
        if (configured.isPresent()) {
            Path root = configured.get().toAbsolutePath().normalize();
            Files.createDirectories(root);
            dir = new AgentDataDir(root.toRealPath(), false);
            dir.checkNotWritableByOthers(dir.root);
        } else {
            dir = new AgentDataDir(Files.createTempDirectory("taskapi-dev-").toRealPath(), true);
        }
        Files.setPosixFilePermissions(dir.root, TRAVERSABLE);
        dir.directory(dir.keysDir(), PRIVATE);
        dir.directory(dir.tlsDir(), PRIVATE);
        dir.directory(dir.clientDir(), PRIVATE);
        dir.directory(dir.allocDir(), TRAVERSABLE);
        return dir;
    }

    /** @return the directory */
    public Path root() {
        return root;
    }

    /** @return whether it is deleted at close */
    public boolean temporary() {
        return temporary;
    }

    /** @return the file holding this node's id */
    public Path nodeIdFile() {
        return root.resolve("node-id");
    }

    /** @return the directory of the identity signing key */
    public Path keysDir() {
        return root.resolve("keys");
    }

    /** @return the directory of the operator listener's certificate */
    public Path tlsDir() {
        return root.resolve("tls");
    }

    /** @return the plugin's {@code state.data-dir} (the plugin creates it) */
    public Path stateDir() {
        return root.resolve("state");
    }

    /** @return the agent's durable record of jobs and allocations */
    public Path clientDir() {
        return root.resolve("client");
    }

    /** @return where allocations live */
    public Path allocDir() {
        return root.resolve("alloc");
    }

    /** @return the plugin's {@code socket.link-dir}: short, because sockets are bound through it */
    public Path socketLinkDir() {
        return socketLinkDir;
    }

    /** Deletes a temporary directory, and a link directory kept outside the data directory if it is empty. */
    @Override
    public void close() {
        if (!socketLinkDir.startsWith(root)) {
            try {
                Files.deleteIfExists(socketLinkDir);
            } catch (IOException e) {
                // Not empty (another agent's links?) or gone: leave it.
            }
        }
        if (temporary) {
            deleteRecursively(root);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook finds nothing left to delete
            }
        }
    }

    /**
     * Deletes a tree without following symbolic links.
     *
     * @param top the directory
     */
    static void deleteRecursively(Path top) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + top, e);
        }
    }

    private void directory(Path dir, Set<PosixFilePermission> permissions) throws IOException {
        Files.createDirectories(dir);
        checkNotWritableByOthers(dir);
        Files.setPosixFilePermissions(dir, permissions);
    }

    /** A directory others can write to lets them plant files or links where the agent works: refuse it. */
    private void checkNotWritableByOthers(Path dir) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(me)
                || attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " must be a directory owned by " + me
                    + " that no one else can write to (found owner " + attributes.owner().getName() + ", mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + ")");
        }
    }

    /** A data directory too long for socket links gets a short, per-directory one under /run or /tmp. */
    private static Path outsideLinkDir(Path root) {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(root.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
        boolean root0 = "root".equals(System.getProperty("user.name"));
        return root0 ? Path.of("/run/taskapi", "l-" + hash) : Path.of("/tmp", "taskapi-l-" + hash);
    }
}
