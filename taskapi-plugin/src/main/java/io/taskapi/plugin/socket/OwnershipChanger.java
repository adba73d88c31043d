package io.taskapi.plugin.socket;

import com.google.inject.ImplementedBy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Gives a file to a user. A seam: an agent that is not root cannot chown, and tests inject that failure here.
 */
@ImplementedBy(PosixOwnershipChanger.class)
@FunctionalInterface
public interface OwnershipChanger {
    /**
     * Changes the owner and group of {@code path} itself (a symbolic link in its last component is not followed).
     *
     * @param path the file
     * @param uid the new owner
     * @param gid the new group
     * @throws IOException when the system refuses, for example {@code EPERM} for an agent that is not root
     */
    void changeOwner(Path path, int uid, int gid) throws IOException;
}
