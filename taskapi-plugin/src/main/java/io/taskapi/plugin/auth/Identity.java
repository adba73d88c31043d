package io.taskapi.plugin.auth;

/** Who a request proved to be: the result of authentication, before any policy is consulted. */
public sealed interface Identity permits AclTokenIdentity, WorkloadIdentity, AnonymousIdentity {
    /** @return a name safe to log and audit (an accessor id or a workload subject), never a secret */
    String auditName();
}
