package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;

/**
 * {@code GET /v1/secret/*path}: the seed's secret read. The secret is the variable at {@code secret/<path>} in
 * {@code ?namespace=}; the answer is its items under {@code data}: {@code {"data":{"value":"bar"}}}.
 */
public final class SecretReadRoute implements ApiRoute {
    private static final Permission READ = VariableRequests.permission("variables:read on the path under secret/",
            VariableCapability.READ, SecretReadRoute::variablePath);

    private final EncryptedVariables variables;

    /**
     * @param variables the variables, encrypted, refused while the keyring is sealed
     */
    @Inject
    public SecretReadRoute(EncryptedVariables variables) {
        this.variables = requireNonNull(variables, "variables is null");
    }

    /** @return the variable a secrets request is about: {@code secret/<path>} */
    static String variablePath(ApiRequest request) {
        return VariablePaths.SECRET_PREFIX + request.param("path");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/secret/*path";
    }

    @Override
    public Permission permission() {
        return READ;
    }

    @Override
    public String help() {
        return "Reads the secret at the path: {\"data\":{\"key\":\"value\"}}. A secret is the variable"
                + " secret/<path> in ?namespace= (default \"default\"); needs read on that variable path.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the variable store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        String path = variablePath(request);
        VariablePaths.checkNamespace(namespace, false);
        VariablePaths.checkPath(path);
        return VariableView.Secret.of(variables.read(namespace, path)
                .orElseThrow(() -> new ApiException(404, "secret not found")));
    }
}
