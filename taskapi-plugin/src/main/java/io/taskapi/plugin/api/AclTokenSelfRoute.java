package io.taskapi.plugin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.taskapi.plugin.auth.AclTokenIdentity;
import io.taskapi.plugin.auth.WorkloadIdentity;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/acl/token/self}: the caller's own token, in Nomad's shape. For a workload identity (where Nomad
 * answers 500) it describes the identity instead: no accessor or secret, the claims under {@code WorkloadIdentity}.
 */
public final class AclTokenSelfRoute implements ApiRoute {
    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/acl/token/self";
    }

    @Override
    public String help() {
        return "Returns the token the request was made with. For a workload identity, returns its claims under"
                + " WorkloadIdentity instead of an accessor and secret.";
    }

    @Override
    public Object handle(ApiRequest request) {
        if (request.identity() instanceof AclTokenIdentity acl) {
            return TokenView.of(acl.token());
        }
        return TokenView.of((WorkloadIdentity) request.identity());
    }

    /** Nomad's {@code api.ACLToken} fields, plus {@code WorkloadIdentity} for workload callers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenView(@JsonProperty("AccessorID") String accessorId,
                     @JsonProperty("SecretID") String secretId,
                     @JsonProperty("Name") String name,
                     @JsonProperty("Type") String type,
                     @JsonProperty("Policies") List<String> policies,
                     @JsonProperty("Roles") List<String> roles,
                     @JsonProperty("Global") boolean global,
                     @JsonProperty("CreateTime") Instant createTime,
                     @JsonProperty("ExpirationTime") @JsonInclude(JsonInclude.Include.ALWAYS) Instant expirationTime,
                     @JsonProperty("WorkloadIdentity") WorkloadView workloadIdentity) {

        static TokenView of(AclToken token) {
            // The caller already holds the secret; Nomad returns it too, and its CLI expects it.
            return new TokenView(token.accessorId(), token.secretId(), token.name(),
                    token.type() == AclTokenType.MANAGEMENT ? "management" : "client", token.policies(), List.of(),
                    false, token.createTime(), token.expirationTime().orElse(null), null);
        }

        static TokenView of(WorkloadIdentity identity) {
            return new TokenView("", "", "workload identity " + identity.subject(), "client", List.of(), List.of(),
                    false, identity.issuedAt().orElse(null), identity.expiresAt().orElse(null),
                    new WorkloadView(identity.namespace(), identity.jobId(), identity.allocationId(),
                            identity.task(), identity.subject(), identity.audience()));
        }
    }

    /** The claims of a workload identity, named the way Nomad names them elsewhere. */
    record WorkloadView(@JsonProperty("Namespace") String namespace,
                        @JsonProperty("JobID") String jobId,
                        @JsonProperty("AllocationID") String allocationId,
                        @JsonProperty("Task") String task,
                        @JsonProperty("Subject") String subject,
                        @JsonProperty("Audience") List<String> audience) {}
}
