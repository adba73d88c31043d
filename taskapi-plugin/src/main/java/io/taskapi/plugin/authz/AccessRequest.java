package io.taskapi.plugin.authz;

import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.auth.Identity;
import java.util.Optional;

/**
 * What a {@link Permission} sees of a request: who is calling, what their policies allow, the path's parameters and
 * the query. Never the body: permissions are checked before it is read.
 */
public interface AccessRequest {
    /** @return who the caller proved to be */
    Identity identity();

    /** @return what the caller's policies allow */
    Acl acl();

    /**
     * @param name a path parameter's name, as in the route's path
     * @return its value
     * @throws IllegalArgumentException when the route's path has no such parameter
     */
    String param(String name);

    /**
     * @param name a query parameter
     * @return its first value, if present
     */
    Optional<String> query(String name);
}
