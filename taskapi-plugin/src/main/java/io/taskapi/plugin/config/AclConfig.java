package io.taskapi.plugin.config;

/**
 * Whether policies decide ({@code acl.enabled}).
 *
 * @param aclEnabled whether policies decide what an authenticated identity may do (when off, any authenticated
 *     identity may do everything; authentication is still required on task sockets)
 */
public record AclConfig(boolean aclEnabled) {
    static AclConfig read(Settings settings) {
        return new AclConfig(settings.bool(TaskApiConfig.ACL_ENABLED, true));
    }
}
