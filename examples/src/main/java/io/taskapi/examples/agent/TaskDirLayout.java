package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;

/**
 * A task's directories, laid out as Nomad's client does under {@code <data-dir>/alloc/<alloc-id>/}:
 *
 * <pre>
 * alloc/              0755  shared by the allocation's tasks: data/ (0777), tmp/ (1777)
 * TASK/               0755  the task directory (root-owned: the task cannot replace what is in it)
 *   logs/             0750  TASK.stdout.0, TASK.stderr.0: made by the host-process drivers
 *   local/            0755  the task's own files, owned by the task's user
 *   secrets/          0755  root-owned and NOT writable by the task (the plugin places api.sock here; a
 *                           task-writable directory would let the task race the agent with planted links)
 *   tmp/              1777
 * </pre>
 *
 * @param allocShared {@code alloc/}
 * @param taskDir the task directory
 * @param localDir {@code TASK/local}
 * @param secretsDir {@code TASK/secrets}
 * @param tmpDir {@code TASK/tmp}
 * @param logsDir {@code TASK/logs}, where the exec and java drivers write the task's output
 */
public record TaskDirLayout(Path allocShared, Path taskDir, Path localDir, Path secretsDir, Path tmpDir,
                            Path logsDir) {
    /** Checks for nulls. */
    public TaskDirLayout {
        requireNonNull(allocShared, "allocShared is null");
        requireNonNull(taskDir, "taskDir is null");
        requireNonNull(localDir, "localDir is null");
        requireNonNull(secretsDir, "secretsDir is null");
        requireNonNull(tmpDir, "tmpDir is null");
        requireNonNull(logsDir, "logsDir is null");
    }

    /**
     * @param allocRoot {@code <data-dir>/alloc/<alloc-id>}
     * @param task the task's name (already checked to be a plain file name)
     * @return where the task's directories are, without creating them
     */
    public static TaskDirLayout of(Path allocRoot, String task) {
        Path shared = allocRoot.resolve("alloc");
        Path taskDir = allocRoot.resolve(task);
        return new TaskDirLayout(shared, taskDir, taskDir.resolve("local"), taskDir.resolve("secrets"),
                taskDir.resolve("tmp"), taskDir.resolve("logs"));
    }

    /**
     * Creates the directories with their modes; {@code local/} goes to the task's user.
     *
     * @param user the task's user, if any
     * @throws IOException when a directory cannot be made or the user does not exist
     */
    public void create(Optional<String> user) throws IOException {
        Path allocRoot = taskDir.getParent();
        mkdir(allocRoot, "rwx--x--x");
        mkdir(allocShared, "rwxr-xr-x");
        mkdir(allocShared.resolve("data"), "rwxrwxrwx");
        mkdir(allocShared.resolve("tmp"), "rwxrwxrwx");
        setSticky(allocShared.resolve("tmp"));
        mkdir(taskDir, "rwxr-xr-x");
        mkdir(localDir, "rwxr-xr-x");
        mkdir(secretsDir, "rwxr-xr-x");
        mkdir(tmpDir, "rwxrwxrwx");
        setSticky(tmpDir);
        if (user.isPresent()) {
            Files.setOwner(localDir, lookup(user.get()));
        }
    }

    /**
     * @param user a host user name
     * @return the user
     * @throws IOException when there is no such user
     */
    public static UserPrincipal lookup(String user) throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
    }

    private static void mkdir(Path dir, String mode) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
    }

    /** Java's POSIX view has no sticky bit: set it through the unix view's mode. */
    private static void setSticky(Path dir) throws IOException {
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        try {
            Files.setAttribute(dir, "unix:mode", mode | 01000, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Not settable on this file system: the directory stays world-writable without the sticky bit.
        }
    }
}
