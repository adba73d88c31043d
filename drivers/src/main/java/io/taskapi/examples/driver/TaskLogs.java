package io.taskapi.examples.driver;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where a task's output goes: {@code <taskDir>/logs/<task>.stdout.0} and {@code <taskDir>/logs/<task>.stderr.0}.
 *
 * <p>The file names are Nomad's ({@code alloc/logs/<task>.stdout.0}); the directory is the task's own, because a
 * driver is only given the task directory. Each start appends; there is no rotation. The directory is the agent's
 * ({@code 0750}) and the files {@code 0640}: the task writes them through the descriptors it inherits, never by name,
 * so its user needs no access, and it cannot plant a symlink that the agent (root) would then write through.
 *
 * @param stdout the standard output file
 * @param stderr the standard error file
 */
public record TaskLogs(Path stdout, Path stderr) {
    /** The directory under the task directory that holds the logs. */
    public static final String DIRECTORY = "logs";

    /**
     * @param stdout see the record component of that name
     * @param stderr see the record component of that name
     */
    public TaskLogs {
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
    }

    /**
     * @param taskDir the task's directory
     * @param taskName the task's name
     * @return where that task's logs are; nothing is created
     */
    public static TaskLogs of(Path taskDir, String taskName) {
        Path dir = requireNonNull(taskDir, "taskDir is null").resolve(DIRECTORY);
        requireNonNull(taskName, "taskName is null");
        return new TaskLogs(dir.resolve(taskName + ".stdout.0"), dir.resolve(taskName + ".stderr.0"));
    }

    /**
     * Makes the log directory and files when they are missing, and checks that what is there is the agent's: a
     * directory and regular files (no symlinks) owned by this process's user.
     *
     * @param taskDir the task's directory
     * @param taskName the task's name
     * @return the logs
     * @throws IOException when they cannot be made, or what is there is not safe to write
     */
    public static TaskLogs prepare(Path taskDir, String taskName) throws IOException {
        TaskLogs logs = of(taskDir, taskName);
        Path dir = logs.stdout.getParent();
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwxr-x---")));
        } catch (FileAlreadyExistsException e) {
            // a previous start made it; checked below
        }
        requireOwned(dir, true);
        for (Path file : new Path[] {logs.stdout, logs.stderr}) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-r-----")));
            } catch (FileAlreadyExistsException e) {
                // appended to; checked below
            }
            requireOwned(file, false);
        }
        return logs;
    }

    /** @return the uid this JVM runs as (the owner of {@code /proc/self}) */
    private static int agentUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static void requireOwned(Path path, boolean directory) throws IOException {
        Map<String, Object> stat = Files.readAttributes(path, "unix:uid,mode,isDirectory,isRegularFile",
                LinkOption.NOFOLLOW_LINKS);
        boolean rightType = directory ? (Boolean) stat.get("isDirectory") : (Boolean) stat.get("isRegularFile");
        if (!rightType) {
            throw new IOException(path + " is not a " + (directory ? "directory" : "regular file")
                    + " (a symlink?): refusing to write task logs through it");
        }
        int uid = (Integer) stat.get("uid");
        if (uid != agentUid()) {
            throw new IOException(path + " belongs to uid " + uid + ", not the agent: refusing to write task logs"
                    + " through it");
        }
        if (directory && ((Integer) stat.get("mode") & 0022) != 0) {
            throw new IOException(path + " is group- or world-writable: refusing to write task logs in it");
        }
    }
}
