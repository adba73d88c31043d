package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.http.JsonBody;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code PUT} and {@code POST /v1/var/*path} (Nomad takes both): creates or replaces a variable from
 * {@code {"Items":{"k":"v"}}}, for a caller with {@code write} on its path in {@code ?namespace=}. {@code ?cas=0}
 * creates only if absent, {@code ?cas=N} replaces only at modify index N; otherwise 409. Answers the variable as
 * written, with {@code X-Nomad-Index}.
 *
 * <p>The body is what Nomad's Go client sends ({@code api.Variable}): {@code Namespace} and {@code Path} may repeat the
 * request's (a different value is refused rather than silently ignored or re-authorized); the indexes and times are
 * the store's and ignored; {@code Lock} must be absent or null.
 */
public abstract sealed class VariableWriteRoute implements ApiRoute
        permits VariableWriteRoute.Put, VariableWriteRoute.Post {
    private static final Permission WRITE = VariableRequests.permission("variables:write on the path",
            VariableCapability.WRITE, request -> request.param("path"));

    private final EncryptedVariables variables;

    private VariableWriteRoute(EncryptedVariables variables) {
        this.variables = requireNonNull(variables, "variables is null");
    }

    /** {@code PUT /v1/var/*path}, what Nomad's CLI and Go client send. */
    public static final class Put extends VariableWriteRoute {
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

    /** {@code POST /v1/var/*path}, which Nomad answers the same way. */
    public static final class Post extends VariableWriteRoute {
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

    @Override
    public final String path() {
        return "/v1/var/*path";
    }

    @Override
    public final Permission permission() {
        return WRITE;
    }

    @Override
    public final String help() {
        return "Creates or replaces the variable at the path in ?namespace= from {\"Items\":{\"key\":\"value\"}}"
                + " (strings, 64 KiB in all). ?cas=0 creates only if absent, ?cas=N replaces only at ModifyIndex N"
                + " (409 otherwise). Needs write on the path. Locks are not supported.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING_WITH_BODY; // a durable store write
    }

    @Override
    public final Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        String path = request.param("path");
        VariablePaths.checkNamespace(namespace, false);
        VariablePaths.checkPath(path);
        VariableRequests.refuseLocks(request);
        OptionalLong cas = VariableRequests.cas(request);
        Map<String, String> items = readBody(request.bodyJson(), namespace, path);
        DecryptedVariable written = variables.write(namespace, path, items, cas);
        return ApiResponse.ok(VariableView.of(written),
                Map.of(VariableRequests.INDEX_HEADER, Long.toString(written.modifyIndex())));
    }

    /**
     * @param root the request body
     * @param namespace the request's namespace
     * @param path the variable path in the URL
     * @return the items to write
     * @throws ApiException 400 listing every problem
     */
    static Map<String, String> readBody(JsonNode root, String namespace, String path) throws ApiException {
        JsonBody body = JsonBody.of(root);
        body.string("Namespace").filter(value -> !value.isEmpty() && !value.equals(namespace)).ifPresent(value ->
                body.error("Namespace \"" + value + "\" differs from the request's namespace \"" + namespace
                        + "\" (set it with ?namespace=)"));
        body.string("Path").filter(value -> !value.isEmpty() && !value.equals(path)).ifPresent(value ->
                body.error("Path \"" + value + "\" differs from the path in the URL \"" + path + "\""));
        body.ignore("CreateIndex", "CreateTime", "ModifyIndex", "ModifyTime");
        boolean lock = root.hasNonNull("Lock");
        body.ignore("Lock");
        Optional<JsonBody> itemsObject = body.object("Items");
        body.finish();
        if (lock) {
            throw VariableRequests.locksNotSupported();
        }
        JsonNode items = root.get("Items");
        if (itemsObject.isEmpty() || items.isEmpty()) {
            throw new ApiException(400, "variable missing required Items object");
        }
        List<String> errors = new ArrayList<>();
        Map<String, String> read = VariableItems.read(items, "Items: value of", errors);
        if (!errors.isEmpty()) {
            throw new ApiException(400, errors);
        }
        return read;
    }
}
