package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.os.PosixProcess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The rules for the embedded store's directory and the files in it: everything belongs to the agent's user and
 * nobody else may read, write or list it.
 */
final class DataDirectory {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final FileAttribute<Set<PosixFilePermission>> DIR_ATTRIBUTE = PosixFilePermissions.asFileAttribute(DIR_MODE);
    static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE =
            PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private DataDirectory() {}

    /**
     * Makes the directory (0700, with any missing parents) when it is missing, else checks that it is a directory
     * of the agent's user that nobody else can use.
     *
     * @param dataDir an absolute path
     * @return the path, normalized
     * @throws IllegalStateException when it exists and is not private to the agent's user, or cannot be made
     */
    static Path prepare(Path dataDir) {
        requireNonNull(dataDir, "dataDir is null");
        if (!dataDir.isAbsolute()) {
            throw new IllegalStateException("the state data dir must be an absolute path: " + dataDir);
        }
        Path dir = dataDir.normalize();
        try {
            if (!Files.exists(dir)) {
                Path parent = dir.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(dir, DIR_ATTRIBUTE);
                    Files.setPosixFilePermissions(dir, DIR_MODE);   // whatever the umask did
                } catch (FileAlreadyExistsException e) {
                    // made concurrently: checked below like any existing directory
                }
            }
            // Follows a symbolic link on purpose: what matters is the directory the files end up in.
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
            if (!attributes.isDirectory()) {
                throw new IllegalStateException("the state data dir " + dir + " is not a directory");
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid");
            int agent = PosixProcess.effectiveUid();
            if (owner != agent) {
                throw new IllegalStateException("the state data dir " + dir + " belongs to uid " + owner
                        + ", not to the agent's uid " + agent + ": refusing to keep secrets there");
            }
            if (!intersection(attributes.permissions()).isEmpty()) {
                throw new IllegalStateException("the state data dir " + dir + " is accessible to other users (mode "
                        + PosixFilePermissions.toString(attributes.permissions()) + "): make it 0700 (chmod 700 "
                        + dir + ")");
            }
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the state data dir " + dir + ": " + e, e);
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("the state data dir " + dir + " is not on a POSIX file system", e);
        }
    }

    /**
     * @param file an existing file
     * @return why the file is not a regular file private to the agent's user, or an empty string when it is
     * @throws IOException when its attributes cannot be read
     */
    static String checkPrivateFile(Path file) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            return file + " is not a regular file";
        }
        int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int agent = PosixProcess.effectiveUid();
        if (owner != agent) {
            return file + " belongs to uid " + owner + ", not to the agent's uid " + agent;
        }
        Set<PosixFilePermission> extra = intersection(attributes.permissions());
        if (!extra.isEmpty()) {
            return file + " is accessible to other users (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "; it must be 0600)";
        }
        return "";
    }

    /** Makes a directory entry change (a create or a rename) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static Set<PosixFilePermission> intersection(Set<PosixFilePermission> permissions) {
        Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
        extra.addAll(permissions);
        extra.retainAll(GROUP_OR_OTHER);
        return extra;
    }
}
