package io.taskapi.plugin.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The embedded database's files, claimed for this process: the data directory prepared and checked
 * ({@link DataDirectory}), {@code state.lock} held, and {@code state.db} (with its WAL and shared-memory files, when
 * they exist) private to the agent's user. Closing it releases the lock.
 */
final class DatabaseFiles implements AutoCloseable {
    private final Path dir;
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DatabaseFiles(Path dir, Path file, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * @param dataDir an absolute path
     * @return the claimed files
     * @throws IllegalStateException when the directory or a database file is not private to the agent's user, or the
     *     directory is in use by another agent (or already open in this process)
     * @throws IOException when the files cannot be made or read
     */
    static DatabaseFiles claim(Path dataDir) throws IOException {
        Path dir = DataDirectory.prepare(dataDir);
        Path file = dir.resolve(EmbeddedDatabase.FILE_NAME);
        FileChannel lockChannel = FileChannel.open(dir.resolve(EmbeddedDatabase.LOCK_FILE_NAME),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), DataDirectory.FILE_ATTRIBUTE);
        try {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("the embedded state in " + dir + " is open already in this process");
            }
            if (lock == null) {
                throw new IllegalStateException("the embedded state in " + dir + " is in use by another process "
                        + "(" + EmbeddedDatabase.LOCK_FILE_NAME + " is locked)");
            }
            createPrivateFile(dir, file);
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path part = dir.resolve(EmbeddedDatabase.FILE_NAME + suffix);
                if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
                    String problem = DataDirectory.checkPrivateFile(part);
                    if (!problem.isEmpty()) {
                        throw new IllegalStateException("refusing to open the embedded state: " + problem);
                    }
                }
            }
            return new DatabaseFiles(dir, file, lockChannel, lock);
        } catch (IOException | RuntimeException | Error e) {
            try {
                lockChannel.close();   // releases the lock
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @return the data directory */
    Path dir() {
        return dir;
    }

    /** @return the database file */
    Path file() {
        return file;
    }

    /** @return the lock file, for messages */
    Path lockFile() {
        return dir.resolve(EmbeddedDatabase.LOCK_FILE_NAME);
    }

    /** Releases the directory. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private static void createPrivateFile(Path dir, Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            // An empty file is an empty SQLite database; SQLite gives its WAL and shm files the same mode.
            Files.createFile(file, DataDirectory.FILE_ATTRIBUTE);
            DataDirectory.fsyncDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // checked like any existing file
        }
    }
}
