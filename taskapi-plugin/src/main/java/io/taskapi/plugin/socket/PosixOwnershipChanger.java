package io.taskapi.plugin.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Changes ownership with {@code lchown(2)}, through the JDK's {@code unix:} attribute view. */
public final class PosixOwnershipChanger implements OwnershipChanger {
    /** Creates the changer; it has no state. */
    public PosixOwnershipChanger() {}

    @Override
    public void changeOwner(Path path, int uid, int gid) throws IOException {
        // NOFOLLOW_LINKS makes this lchown: a symbolic link planted at the name is changed, never what it points to.
        // Group first: once the owner is the task user, only root could still change the group.
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }
}
