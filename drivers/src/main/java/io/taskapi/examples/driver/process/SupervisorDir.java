package io.taskapi.examples.driver.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The supervisor's files, in {@code <taskDir>/supervisor/}: {@code pid} (the task's pid) and {@code exit} (its exit
 * code) written by the supervisor, {@code record} (the {@link SupervisorRecord}) written by the driver. Each is written
 * to a temporary file and renamed, so a reader never sees half of one.
 *
 * <p>The directory is the agent's, {@code 0700}: the supervisor runs as the agent's user and writes there, so the
 * task's user must not be able to plant a symlink in it or forge an exit code (the same checks as the task logs').
 */
final class SupervisorDir {
    /** The directory under the task directory. */
    static final String DIRECTORY = "supervisor";
    static final String PID = "pid";
    static final String EXIT = "exit";
    private static final String RECORD = "record";
    private static final int MAX_FILE_BYTES = 4096;

    private final Path dir;

    private SupervisorDir(Path dir) {
        this.dir = dir;
    }

    /** @return the directory of the task in {@code taskDir}; nothing is created or checked */
    static SupervisorDir of(Path taskDir) {
        return new SupervisorDir(requireNonNull(taskDir, "taskDir is null").resolve(DIRECTORY));
    }

    Path path() {
        return dir;
    }

    /** Makes the directory when it is missing, checks it, and removes what a previous run of the task left. */
    void prepareForStart() throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (FileAlreadyExistsException e) {
            // a previous start made it; checked below
        }
        check();
        for (String name : new String[] {PID, EXIT, RECORD, PID + ".tmp", EXIT + ".tmp", RECORD + ".tmp"}) {
            Files.deleteIfExists(dir.resolve(name));
        }
    }

    /** Checks that it is a directory (not a symlink) of the agent's that nobody else may write. */
    void check() throws IOException {
        Map<String, Object> stat = Files.readAttributes(dir, "unix:uid,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
        if (!(Boolean) stat.get("isDirectory")) {
            throw new IOException(dir + " is not a directory (a symlink?)");
        }
        int uid = (Integer) stat.get("uid");
        int agent = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != agent) {
            throw new IOException(dir + " belongs to uid " + uid + ", not the agent");
        }
        if (((Integer) stat.get("mode") & 0022) != 0) {
            throw new IOException(dir + " is group- or world-writable");
        }
    }

    /** @return the task's pid, once the supervisor has written it */
    Optional<Long> taskPid() {
        return read(PID).flatMap(SupervisorDir::parseLong);
    }

    /** @return the task's exit code, once the supervisor has written it (128 + n when signal n ended it) */
    Optional<Integer> exitCode() {
        return read(EXIT).flatMap(SupervisorDir::parseLong).filter(code -> code >= 0 && code <= 255)
                .map(Long::intValue);
    }

    void writeRecord(SupervisorRecord record) throws IOException {
        StringBuilder text = new StringBuilder();
        record.state().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path tmp = dir.resolve(RECORD + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the record the driver wrote at start, when it is there and readable */
    Optional<SupervisorRecord> readRecord() {
        return read(RECORD).flatMap(text -> {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(text));
                Map<String, String> state = new TreeMap<>();
                properties.stringPropertyNames().forEach(key -> state.put(key, properties.getProperty(key)));
                return Optional.of(SupervisorRecord.of(state));
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** Reads a small regular file, never through a symlink; empty when it is missing or not what it should be. */
    private Optional<String> read(String name) {
        if (!Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();    // missing; or a FIFO, which would block the read
        }
        try (SeekableByteChannel channel = Files.newByteChannel(dir.resolve(name), StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_FILE_BYTES);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // fill
            }
            return Optional.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
