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
 * {@code GET /v1/var/*path}: one variable with its items, for a caller with {@code read} on its path in
 * {@code ?namespace=} (a workload identity may always read its own {@code nomad/jobs/<job>[/<group>[/<task>]]}).
 */
public final class VariableReadRoute implements ApiRoute {
    private static final Permission READ = VariableRequests.permission("variables:read on the path",
            VariableCapability.READ, request -> request.param("path"));

    private final EncryptedVariables variables;

    /**
     * @param variables the variables, encrypted, refused while the keyring is sealed
     */
    @Inject
    public VariableReadRoute(EncryptedVariables variables) {
        this.variables = requireNonNull(variables, "variables is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/var/*path";
    }

    @Override
    public Permission permission() {
        return READ;
    }

    @Override
    public String help() {
        return "Reads the variable at the path in ?namespace= (default \"default\"): its metadata and Items. Needs"
                + " read on the path; a workload identity may always read nomad/jobs/<its job>[/<group>[/<task>]].";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the variable store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        String path = request.param("path");
        VariablePaths.checkNamespace(namespace, false);
        VariablePaths.checkPath(path);
        // The permission ran first: whether a variable exists is only disclosed to callers allowed to read it.
        DecryptedVariable variable = variables.read(namespace, path)
                .orElseThrow(() -> new ApiException(404, "variable not found"));
        return ApiResponse.ok(VariableView.of(variable), VariableRequests.queryHeaders(variable.modifyIndex()));
    }
}
