package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

/**
 * A host user a task runs as, as far as socket ownership needs it.
 *
 * @param name the name the driver gave (or the numeric uid it gave)
 * @param uid the user id the socket is given to
 * @param gid the user's primary group id, which the socket is given to as well
 */
public record TaskUser(String name, int uid, int gid) {
    /**
     * Checks that the name is present.
     *
     * @param name see the record component of that name
     * @param uid see the record component of that name
     * @param gid see the record component of that name
     */
    public TaskUser {
        requireNonNull(name, "name is null");
    }
}
