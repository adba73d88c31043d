package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code POST} and {@code PUT /v1/secret/*path}: the seed's secret write, {@code {"value":"bar"}}. The JSON object
 * becomes the items of the variable {@code secret/<path>} in {@code ?namespace=}, replacing what was there; 204.
 *
 * <p>Values must be strings (one 400 names every key that is not): variables hold strings, and keeping a secret a
 * plain variable is what lets the variables API, the variable policies and job templates see it.
 */
public abstract sealed class SecretWriteRoute implements ApiRoute
        permits SecretWriteRoute.Post, SecretWriteRoute.Put {
    private static final Permission WRITE = VariableRequests.permission("variables:write on the path under secret/",
            VariableCapability.WRITE, SecretReadRoute::variablePath);

    private final EncryptedVariables variables;

    private SecretWriteRoute(EncryptedVariables variables) {
        this.variables = requireNonNull(variables, "variables is null");
    }

    /** {@code POST /v1/secret/*path}, as the seed's curl example sends it. */
    public static final class Post extends SecretWriteRoute {
        /**
         * @param variables the variables, encrypted, refused while the keyring is sealed
         */
        @Inject
        public Post(EncryptedVariables variables) {
            super(variables);
        }

        @Override
        public String method() {
            return "POST";
        }
    }

    /** {@code PUT /v1/secret/*path}, the same write. */
    public static final class Put extends SecretWriteRoute {
        /**
         * @param variables the variables, encrypted, refused while the keyring is sealed
         */
        @Inject
        public Put(EncryptedVariables variables) {
            super(variables);
        }

        @Override
        public String method() {
            return "PUT";
        }
    }

    @Override
    public final String path() {
        return "/v1/secret/*path";
    }

    @Override
    public final Permission permission() {
        return WRITE;
    }

    @Override
    public final String help() {
        return "Writes the secret at the path from a JSON object of strings, e.g. {\"value\":\"bar\"} (64 KiB in"
                + " all), replacing it; 204. Stored encrypted as the variable secret/<path> in ?namespace=; needs"
                + " write on that variable path.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING_WITH_BODY; // a durable store write
    }

    @Override
    public final Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        String path = SecretReadRoute.variablePath(request);
        VariablePaths.checkNamespace(namespace, false);
        VariablePaths.checkPath(path);
        JsonNode body = request.bodyJson();
        if (!body.isObject()) {
            throw new ApiException(400, "Request body must be a JSON object");
        }
        if (body.isEmpty()) {
            throw new ApiException(400, "a secret needs at least one key");
        }
        List<String> errors = new ArrayList<>();
        Map<String, String> items = VariableItems.read(body, "value of", errors);
        if (!errors.isEmpty()) {
            throw new ApiException(400, errors);
        }
        variables.write(namespace, path, items, OptionalLong.empty());
        return ApiResponse.noContent();
    }
}
