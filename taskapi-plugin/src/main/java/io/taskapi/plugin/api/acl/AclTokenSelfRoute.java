package io.taskapi.plugin.api.acl;

import io.taskapi.plugin.auth.AclTokenIdentity;
import io.taskapi.plugin.auth.WorkloadIdentity;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;

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
    public Permission permission() {
        return Permission.AUTHENTICATED;
    }

    @Override
    public String help() {
        return "Returns the token the request was made with. For a workload identity, returns its claims under"
                + " WorkloadIdentity instead of an accessor and secret.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.IN_MEMORY; // the caller's own identity, already in memory
    }

    @Override
    public Object handle(ApiRequest request) {
        if (request.identity() instanceof AclTokenIdentity acl) {
            // The caller already holds the secret; Nomad returns it too, and its CLI expects it.
            return AclTokenView.withSecret(acl.token());
        }
        if (request.identity() instanceof WorkloadIdentity workload) {
            return AclTokenView.of(workload);
        }
        return AclTokenView.anonymous();
    }
}
