package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's durable record of its jobs and allocations (Nomad's client keeps the same in its {@code state.db}): one
 * JSON document per job in {@code client/jobs/} and per allocation in {@code client/allocs/}, each replaced atomically
 * and synced to disk before the call returns. A task is reported running only after its allocation, with the driver's
 * handle, is on disk, so a crash never loses what the agent acknowledged.
 *
 * <p>Written by hand rather than with a database: a few small documents, rewritten whole on each change (a task
 * event, a state change), need only the write-sync-rename-sync recipe. Files are {@code 0600} in {@code 0700}
 * directories; they never hold a secret (events and driver handles are not secrets).
 *
 * <p>Thread-safe: each document is written by one owner at a time (a job under the scheduler's lock, an allocation
 * under its own), and distinct documents are distinct files.
 */
final class ClientState {
    private static final Logger LOG = LoggerFactory.getLogger(ClientState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final Path jobsDir;
    private final Path allocsDir;

    private ClientState(Path jobsDir, Path allocsDir) {
        this.jobsDir = jobsDir;
        this.allocsDir = allocsDir;
    }

    /**
     * @param dir the agent's {@code client/} directory (it exists, private to the agent)
     * @return the state kept there
     * @throws IOException when its subdirectories cannot be made
     */
    static ClientState open(Path dir) throws IOException {
        requireNonNull(dir, "dir is null");
        Path jobs = dir.resolve("jobs");
        Path allocs = dir.resolve("allocs");
        for (Path sub : List.of(jobs, allocs)) {
            Files.createDirectories(sub, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        return new ClientState(jobs, allocs);
    }

    /**
     * @param namespace the job's namespace
     * @param jobId the job's id
     * @param document the job's record
     */
    void saveJob(String namespace, String jobId, JsonNode document) {
        // Ids may hold any character: the file name is their hex, so no id can name a path.
        String key = HexFormat.of().formatHex((namespace + "\0" + jobId).getBytes(StandardCharsets.UTF_8));
        write(jobsDir, key, document);
    }

    /**
     * @param allocationId the allocation (a UUID the agent made)
     * @param document its record
     */
    void saveAllocation(String allocationId, JsonNode document) {
        write(allocsDir, HexFormat.of().formatHex(allocationId.getBytes(StandardCharsets.UTF_8)), document);
    }

    /** @return every job record on disk */
    List<JsonNode> jobs() throws IOException {
        return readAll(jobsDir);
    }

    /** @return every allocation record on disk */
    List<JsonNode> allocations() throws IOException {
        return readAll(allocsDir);
    }

    private static void write(Path dir, String name, JsonNode document) {
        Path target = dir.resolve(name + SUFFIX);
        Path temporary = dir.resolve(name + ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(document);
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            // The rename is durable only once the directory is synced.
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static List<JsonNode> readAll(Path dir) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    documents.add(JSON.readTree(file.toFile()));
                } catch (IOException e) {
                    // Only a complete document is ever renamed into place, so this is damage from outside: skip it
                    // rather than refuse to start, and say so.
                    LOG.error("skipping unreadable agent state {}: {}", file, e.getMessage());
                }
            }
        }
        return documents;
    }
}
