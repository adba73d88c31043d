package io.taskapi.examples.driver;

import io.taskapi.spi.driver.TaskDriverException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks a driver makes before it asks for a task's socket.
 *
 * <p>The Task API binds, chowns and links the socket by name inside the secrets directory. If the task's user could
 * rename entries there (or in any directory above it), it could race those steps by planting a symlink, and the agent,
 * running as root, would act on a file of the task's choosing (docs/driver-guide.md, step 4). Nomad makes its secrets
 * directory {@code 0777}; these drivers refuse such a directory instead of starting a task whose socket could be
 * hijacked. A sticky directory such as {@code /tmp} is fine: there, nobody can rename what someone else made.
 */
public final class TaskDirectories {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private TaskDirectories() {}

    /**
     * Checks that the secrets directory is a real directory and that neither it nor any directory above it lets a user
     * other than root and the agent rename its entries.
     *
     * @param driver the driver's name, for messages
     * @param taskDir the task's directory (must exist)
     * @param secretsDir the task's secrets directory (must exist)
     * @throws TaskDriverException when a check fails
     */
    public static void checkSecretsDir(String driver, Path taskDir, Path secretsDir) throws TaskDriverException {
        requireDirectory(driver, "task directory", taskDir);
        requireDirectory(driver, "secrets directory", secretsDir);
        int agentUid = agentUid();
        for (Path dir = secretsDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Map<String, Object> stat;
            try {
                stat = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new TaskDriverException("driver " + driver + ": cannot inspect " + dir + ": " + e, e);
            }
            int uid = (Integer) stat.get("uid");
            int mode = (Integer) stat.get("mode");
            boolean trustedOwner = uid == 0 || uid == agentUid;
            boolean othersCanRename = (mode & GROUP_OR_OTHER_WRITE) != 0 && (mode & STICKY) == 0;
            if (!trustedOwner || othersCanRename) {
                throw new TaskDriverException("driver " + driver + ": " + dir + " (uid " + uid + ", mode "
                        + String.format("%04o", mode & 07777) + ") lets users other than root and the agent rename "
                        + "its entries, so a task could race the placement of its API socket in " + secretsDir
                        + "; make it owned by root or the agent and not group- or world-writable (or sticky)");
            }
        }
    }

    /**
     * @param driver the driver's name, for messages
     * @param what what the directory is, for messages
     * @param dir the directory
     * @throws TaskDriverException when it is missing, a symlink or not a directory
     */
    public static void requireDirectory(String driver, String what, Path dir) throws TaskDriverException {
        if (!dir.isAbsolute()) {
            throw new TaskDriverException("driver " + driver + ": the " + what + " must be absolute: " + dir);
        }
        if (Files.isSymbolicLink(dir)) {
            throw new TaskDriverException("driver " + driver + ": the " + what + " is a symlink: " + dir);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TaskDriverException("driver " + driver + ": the " + what + " does not exist: " + dir);
        }
    }

    /** @return the uid this JVM runs as (the owner of {@code /proc/self}) */
    public static int agentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no /proc: these drivers need Linux", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent's uid from /proc/self", e);
        }
    }
}
