package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;

/**
 * {@code DELETE /v1/var/*path}: deletes a variable, for a caller with {@code destroy} on its path in
 * {@code ?namespace=}; 204 whether or not it existed (as Nomad). {@code ?cas=N} deletes only at modify index N,
 * {@code ?cas=0} only succeeds when there is nothing to delete; otherwise 409.
 */
public final class VariableDeleteRoute implements ApiRoute {
    private static final Permission DESTROY = VariableRequests.permission("variables:destroy on the path",
            VariableCapability.DESTROY, request -> request.param("path"));

    private final EncryptedVariables variables;

    /**
     * @param variables the variables, encrypted, refused while the keyring is sealed
     */
    @Inject
    public VariableDeleteRoute(EncryptedVariables variables) {
        this.variables = requireNonNull(variables, "variables is null");
    }

    @Override
    public String method() {
        return "DELETE";
    }

    @Override
    public String path() {
        return "/v1/var/*path";
    }

    @Override
    public Permission permission() {
        return DESTROY;
    }

    @Override
    public String help() {
        return "Deletes the variable at the path in ?namespace= (204 even if there was none). ?cas=N deletes only at"
                + " ModifyIndex N, ?cas=0 only if absent (409 otherwise). Needs destroy on the path.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        String path = request.param("path");
        VariablePaths.checkNamespace(namespace, false);
        VariablePaths.checkPath(path);
        VariableRequests.refuseLocks(request);
        variables.delete(namespace, path, VariableRequests.cas(request));
        return ApiResponse.noContent();
    }
}
