package io.taskapi.plugin.authz;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.StateUnavailableException;

/**
 * What a route requires of the caller's policies. Each route declares one; docs/api.md lists every route with its
 * {@link #description()}, and a test keeps the two in step.
 *
 * @param description how docs/api.md names it, e.g. {@code node:write}
 * @param check whether a request's ACL allows it (path and query are available; the body is not read yet)
 */
public record Permission(String description, Check check) {
    /** Decides one request; may consult state (which may be unavailable). */
    @FunctionalInterface
    public interface Check {
        /**
         * @param request an authenticated request
         * @return whether it is allowed
         * @throws StateUnavailableException when state needed to decide cannot be read
         */
        boolean test(AccessRequest request) throws StateUnavailableException;
    }

    /** Any caller that passed authentication. */
    public static final Permission AUTHENTICATED = new Permission("none beyond authentication", request -> true);
    /** A management token (or ACLs disabled). */
    public static final Permission MANAGEMENT = new Permission("management",
            request -> request.acl().isManagement());
    /** {@code node} read or write. */
    public static final Permission NODE_READ = new Permission("node:read", request -> request.acl().allowNodeRead());
    /** {@code node} write. */
    public static final Permission NODE_WRITE = new Permission("node:write",
            request -> request.acl().allowNodeWrite());
    /** {@code agent} read or write. */
    public static final Permission AGENT_READ = new Permission("agent:read",
            request -> request.acl().allowAgentRead());

    /** Checks that nothing is missing. */
    public Permission {
        requireNonNull(description, "description is null");
        requireNonNull(check, "check is null");
    }

    /**
     * @param request an authenticated request
     * @return whether its ACL allows this
     * @throws StateUnavailableException when state needed to decide cannot be read
     */
    public boolean allows(AccessRequest request) throws StateUnavailableException {
        return check.test(request);
    }
}
