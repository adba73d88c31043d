package io.taskapi.plugin.api.acl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.taskapi.plugin.auth.WorkloadIdentity;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.WriteIndexes;
import java.time.Instant;
import java.util.List;

/**
 * Nomad's {@code api.ACLToken} JSON, plus {@code WorkloadIdentity} when it describes a workload caller. The secret is
 * included only where Nomad includes it: for the token's own holder and for management reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AclTokenView(@JsonProperty("AccessorID") String accessorId,
                    @JsonProperty("SecretID") String secretId,
                    @JsonProperty("Name") String name,
                    @JsonProperty("Type") String type,
                    @JsonProperty("Policies") List<String> policies,
                    @JsonProperty("Roles") List<RoleLink> roles,
                    @JsonProperty("Global") boolean global,
                    @JsonProperty("CreateTime") Instant createTime,
                    @JsonProperty("ExpirationTime") @JsonInclude(JsonInclude.Include.ALWAYS) Instant expirationTime,
                    @JsonProperty("WorkloadIdentity") WorkloadView workloadIdentity,
                    @JsonProperty("CreateIndex") long createIndex,
                    @JsonProperty("ModifyIndex") long modifyIndex) {

    static AclTokenView withSecret(AclToken token, List<RoleLink> roles, WriteIndexes indexes) {
        return withSecret(token, roles, indexes, false);
    }

    /** @param global Nomad's bootstrap token is global; this agent's other tokens are local to its one region */
    static AclTokenView withSecret(AclToken token, List<RoleLink> roles, WriteIndexes indexes, boolean global) {
        return new AclTokenView(token.accessorId(), token.secretId(), token.name(), typeName(token.type()),
                token.policies(), roles, global, token.createTime(), token.expirationTime().orElse(null), null,
                indexes.createIndex(), indexes.modifyIndex());
    }

    /** The list stub: everything but the secret. */
    static AclTokenView stub(AclToken token, List<RoleLink> roles, WriteIndexes indexes) {
        return new AclTokenView(token.accessorId(), null, token.name(), typeName(token.type()), token.policies(),
                roles, false, token.createTime(), token.expirationTime().orElse(null), null,
                indexes.createIndex(), indexes.modifyIndex());
    }

    static AclTokenView of(WorkloadIdentity identity) {
        return new AclTokenView("", "", "workload identity " + identity.subject(), "client", List.of(), List.of(),
                false, identity.issuedAt().orElse(null), identity.expiresAt().orElse(null),
                new WorkloadView(identity.namespace(), identity.jobId(), identity.allocationId(),
                        identity.task(), identity.subject(), identity.audience()), 0, 0);
    }

    /** Nomad's built-in anonymous token, as its API shows it. */
    static AclTokenView anonymous() {
        return new AclTokenView("anonymous", "", "Anonymous Token", "client", List.of("anonymous"), List.of(), false,
                null, null, null, 0, 0);
    }

    static String typeName(AclTokenType type) {
        return type == AclTokenType.MANAGEMENT ? "management" : "client";
    }

    /** Nomad's {@code ACLTokenRoleLink}: a role's id and (current) name. */
    record RoleLink(@JsonProperty("ID") String id, @JsonProperty("Name") String name) {}

    /** The claims of a workload identity, named the way Nomad names them elsewhere. */
    record WorkloadView(@JsonProperty("Namespace") String namespace,
                        @JsonProperty("JobID") String jobId,
                        @JsonProperty("AllocationID") String allocationId,
                        @JsonProperty("Task") String task,
                        @JsonProperty("Subject") String subject,
                        @JsonProperty("Audience") List<String> audience) {}
}
