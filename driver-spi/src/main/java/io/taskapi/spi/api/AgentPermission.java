package io.taskapi.spi.api;

import static java.util.Objects.requireNonNull;

/**
 * What an {@link AgentRoute} requires of the caller's policies, in Nomad's ACL terms.
 *
 * @param kind which rule applies
 * @param capability for {@link Kind#NAMESPACE}, the namespace capability (such as {@code submit-job}) needed in the
 *     namespace the request names with {@code ?namespace=} (default {@code default}); empty otherwise
 */
public record AgentPermission(Kind kind, String capability) {
    /** The rules an agent route can ask for. */
    public enum Kind {
        /** Nothing beyond authentication. */
        AUTHENTICATED,
        /** A management token. */
        MANAGEMENT,
        /** {@code node} read. */
        NODE_READ,
        /** {@code node} write. */
        NODE_WRITE,
        /** {@code agent} read. */
        AGENT_READ,
        /** {@code agent} write. */
        AGENT_WRITE,
        /** A namespace capability. */
        NAMESPACE
    }

    /**
     * Checks that a namespace permission names its capability and no other does.
     *
     * @param kind see the record component of that name
     * @param capability see the record component of that name
     */
    public AgentPermission {
        requireNonNull(kind, "kind is null");
        requireNonNull(capability, "capability is null");
        if ((kind == Kind.NAMESPACE) == capability.isEmpty()) {
            throw new IllegalArgumentException("only a namespace permission names a capability");
        }
    }

    /**
     * @param kind a rule without a capability
     * @return the permission
     */
    public static AgentPermission of(Kind kind) {
        return new AgentPermission(kind, "");
    }

    /**
     * @param capability a namespace capability, such as {@code submit-job} or {@code read-job}
     * @return the permission
     */
    public static AgentPermission namespace(String capability) {
        return new AgentPermission(Kind.NAMESPACE, capability);
    }
}
