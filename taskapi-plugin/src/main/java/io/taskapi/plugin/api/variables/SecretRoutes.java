package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.authz.AccessRequest;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.plugin.http.Watch;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The seed's secrets API, {@code /v1/secret/*path}, as an adapter in front of the variables: a secret is the variable
 * {@code secret/<path>} in {@code ?namespace=}, with the variable policies on that path. Each route translates the
 * request (the path, the body {@code {"value":"bar"}} as the items) and the answer ({@code {"data":{…}}}, 204), and
 * reads, writes and deletes through the same {@link EncryptedVariables} as the variable routes.
 */
public final class SecretRoutes implements RouteGroup {
    private static final String PATH = "/v1/secret/*path";

    private final EncryptedVariables variables;

    /**
     * @param variables the variables, encrypted, refused while the keyring is sealed
     */
    @Inject
    public SecretRoutes(EncryptedVariables variables) {
        this.variables = requireNonNull(variables, "variables is null");
    }

    @Override
    public List<Route> routes() {
        // All BLOCKING: the variable store may do I/O, and writes are durable.
        return List.of(
                Route.on("GET", PATH)
                        .permission(permission("variables:read on the path under secret/", VariableCapability.READ))
                        .help("Reads the secret at the path: {\"data\":{\"key\":\"value\"}}. A secret is the variable"
                                + " secret/<path> in ?namespace= (default \"default\"); needs read on that variable"
                                + " path.")
                        .watches(Watch.VARIABLES)
                        .runs(Execution.BLOCKING, this::read),
                // POST as the seed's curl example sends it; PUT the same.
                Route.on(Set.of("POST", "PUT"), PATH)
                        .permission(permission("variables:write on the path under secret/", VariableCapability.WRITE))
                        .help("Writes the secret at the path from a JSON object of strings, e.g. {\"value\":\"bar\"}"
                                + " (64 KiB in all), replacing it; 204. Stored encrypted as the variable"
                                + " secret/<path> in ?namespace=; needs write on that variable path.")
                        .watches(Watch.VARIABLES)
                        .runs(Execution.BLOCKING_WITH_BODY, this::write),
                Route.on("DELETE", PATH)
                        .permission(permission("variables:destroy on the path under secret/",
                                VariableCapability.DESTROY))
                        .help("Deletes the secret at the path (the variable secret/<path> in ?namespace=); 204 even"
                                + " if there was none. Needs destroy on that variable path.")
                        .watches(Watch.VARIABLES)
                        .runs(Execution.BLOCKING, this::delete));
    }

    /** @return the variable a secrets request is about: {@code secret/<path>} */
    private static String variablePath(AccessRequest request) {
        return VariablePaths.SECRET_PREFIX + request.param("path");
    }

    private static Permission permission(String description, VariableCapability capability) {
        return VariableRequests.permission(description, capability, SecretRoutes::variablePath);
    }

    private Object read(ApiRequest request) throws ApiException, StateUnavailableException {
        VariableTarget target = VariableTarget.of(request, variablePath(request));
        return VariableView.Secret.of(variables.read(target.namespace(), target.path())
                .orElseThrow(() -> new ApiException(404, "secret not found")));
    }

    /** The secret's items replace the variable's; no check-and-set. */
    private Object write(ApiRequest request) throws ApiException, StateUnavailableException {
        VariableTarget target = VariableTarget.of(request, variablePath(request));
        variables.write(target.namespace(), target.path(), VariableItems.ofSecretBody(request.bodyJson()),
                OptionalLong.empty());
        return ApiResponse.noContent();
    }

    private Object delete(ApiRequest request) throws ApiException, StateUnavailableException {
        VariableTarget target = VariableTarget.of(request, variablePath(request));
        variables.delete(target.namespace(), target.path(), OptionalLong.empty());
        return ApiResponse.noContent();
    }
}
