package io.taskapi.plugin.http;

/**
 * A part of the state a query's answer reflects, as Nomad's state tables: a route {@linkplain Route.Builder#watches
 * declares} the parts it reads, its answers carry the highest of their indexes in {@code X-Nomad-Index}, and a
 * blocking query on it ({@code ?index=N}) wakes when one of them changes.
 */
public enum Watch {
    /** The nodes the agent knows. */
    NODES,
    /** The nodes' dynamic metadata. */
    NODE_METADATA,
    /** The variables. */
    VARIABLES,
    /** The ACL tokens. */
    ACL_TOKENS,
    /** The ACL policies. */
    ACL_POLICIES,
    /** The ACL roles. */
    ACL_ROLES,
    /** The ACL auth methods and binding rules. */
    ACL_AUTH_METHODS,
    /** What the agent's own routes serve (its jobs and allocations). */
    AGENT
}
