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
import java.util.OptionalLong;

/** {@code DELETE /v1/secret/*path}: deletes the variable {@code secret/<path>} in {@code ?namespace=}; 204. */
public final class SecretDeleteRoute implements ApiRoute {
    private static final Permission DESTROY = VariableRequests.permission("variables:destroy on the path under secret/",
            VariableCapability.DESTROY, SecretReadRoute::variablePath);

    private final EncryptedVariables variables;

    /**
     * @param variables the variables, encrypted, refused while the keyring is sealed
     */
    @Inject
    public SecretDeleteRoute(EncryptedVariables variables) {
        this.variables = requireNonNull(variables, "variables is null");
    }

    @Override
    public String method() {
        return "DELETE";
    }

    @Override
    public String path() {
        return "/v1/secret/*path";
    }

    @Override
    public Permission permission() {
        return DESTROY;
    }

    @Override
    public String help() {
        return "Deletes the secret at the path (the variable secret/<path> in ?namespace=); 204 even if there was"
                + " none. Needs destroy on that variable path.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        String path = SecretReadRoute.variablePath(request);
        VariablePaths.checkNamespace(namespace, false);
        VariablePaths.checkPath(path);
        variables.delete(namespace, path, OptionalLong.empty());
        return ApiResponse.noContent();
    }
}
