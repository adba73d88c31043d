package io.taskapi.plugin.socket;

import com.google.inject.ImplementedBy;
import java.io.IOException;
import java.util.Optional;

/** Finds a host user's uid and primary gid by name. A seam so tests and unusual hosts can supply their own. */
@ImplementedBy(GetentUserDirectory.class)
@FunctionalInterface
public interface UserDirectory {
    /**
     * @param name a user name, or a decimal uid
     * @return the user, or empty when the host has no such user
     * @throws IOException when the user database could not be asked
     */
    Optional<TaskUser> lookup(String name) throws IOException;
}
