package io.taskapi.plugin.socket;

import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.SocketRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** A registry over a real connector, with its own link directory under /tmp that is removed afterwards. */
final class SocketFixture implements AutoCloseable {
    final Path linkDir;
    final TaskApiConfig config;
    final TaskSocketRegistry registry;

    private SocketFixture(Path linkDir, TaskApiConfig config, TaskSocketRegistry registry) {
        this.linkDir = linkDir;
        this.config = config;
        this.registry = registry;
    }

    static SocketFixture create(UnixSocketConnector connector) {
        return create(connector, Map.of(), new PosixOwnershipChanger());
    }

    static SocketFixture create(UnixSocketConnector connector, Map<String, String> settings,
                                OwnershipChanger ownership) {
        return create(connector, newLinkDir(), settings, ownership);
    }

    static SocketFixture create(UnixSocketConnector connector, Path linkDir, Map<String, String> settings,
                                OwnershipChanger ownership) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(TaskApiConfig.SOCKET_LINK_DIR, linkDir.toString());
        TaskApiConfig config = TaskApiConfig.fromMap(all);
        SocketPlacer placer = new SocketPlacer(config.socket(), new GetentUserDirectory(), ownership);
        return new SocketFixture(linkDir, config, new TaskSocketRegistry(connector, placer));
    }

    /** A fresh, not yet existing path under /tmp, short enough for a link directory. */
    static Path newLinkDir() {
        return Path.of("/tmp/taskapi-test-" + UUID.randomUUID().toString().substring(0, 8));
    }

    static TaskRef task(String allocationId, String taskName) {
        return new TaskRef(allocationId, "default", "job", "group", taskName);
    }

    static SocketRequest request(TaskRef task, Path secrets) {
        return SocketRequest.of(task, secrets, SocketNeeds.of(FilesystemIsolation.IMAGE));
    }

    static SocketRequest request(TaskRef task, Path secrets, String user) {
        return SocketRequest.of(task, secrets, SocketNeeds.of(FilesystemIsolation.IMAGE).withUser(user));
    }

    /** Makes {@code root/name} (and its parents) mode 0755, root-owned as the agent would. */
    static Path secretsDir(Path root, String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        for (Path p = dir; p.startsWith(root); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** @return the entries left in the link directory (it must be empty once every socket is closed) */
    long linkDirEntries() throws IOException {
        if (!Files.exists(linkDir)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(linkDir)) {
            return entries.count();
        }
    }

    @Override
    public void close() throws IOException {
        registry.close();
        deleteTree(linkDir);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
