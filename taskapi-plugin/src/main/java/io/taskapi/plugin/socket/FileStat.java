package io.taskapi.plugin.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code lstat}/{@code stat} says about a name: enough to tell whether a name still leads to the inode we made.
 *
 * @param dev the device
 * @param ino the inode
 * @param uid the owner
 * @param gid the group
 * @param mode the raw {@code st_mode}, file type bits included
 */
record FileStat(long dev, long ino, int uid, int gid, int mode) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final String ATTRIBUTES = "unix:dev,ino,uid,gid,mode";

    /** Reads the name itself, not what a symbolic link points to; empty when nothing has that name. */
    static Optional<FileStat> of(Path path) throws IOException {
        try {
            return Optional.of(from(Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Reads what the name leads to, following symbolic links; empty when it leads nowhere. */
    static Optional<FileStat> following(Path path) throws IOException {
        try {
            return Optional.of(from(Files.readAttributes(path, ATTRIBUTES)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static FileStat from(Map<String, Object> attributes) {
        return new FileStat((Long) attributes.get("dev"), (Long) attributes.get("ino"),
                (Integer) attributes.get("uid"), (Integer) attributes.get("gid"), (Integer) attributes.get("mode"));
    }

    /** @return whether both describe the same inode */
    boolean sameFile(FileStat other) {
        return other != null && dev == other.dev && ino == other.ino;
    }

    boolean isSocket() {
        return (mode & S_IFMT) == S_IFSOCK;
    }

    boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** @return the permission bits, sticky/setuid/setgid included */
    int permissions() {
        return mode & 07777;
    }

    /** @return a short description for error messages, like {@code socket uid=0 mode=0600} */
    String describe() {
        String type = switch (mode & S_IFMT) {
            case S_IFSOCK -> "socket";
            case S_IFLNK -> "symbolic link";
            case S_IFDIR -> "directory";
            case S_IFREG -> "regular file";
            default -> "special file";
        };
        return String.format("%s uid=%d mode=%04o", type, uid, permissions());
    }
}
