package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.config.HttpConfig;
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
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Nomad's variables API: {@code GET /v1/vars} and {@code GET}, {@code PUT}/{@code POST}, {@code DELETE
 * /v1/var/*path}, each for a caller with the capability on the variable's path in {@code ?namespace=} (a workload
 * identity may always read its own {@code nomad/jobs/<job>[/<group>[/<task>]]}). {@code ?cas=0} writes or deletes only
 * if absent, {@code ?cas=N} only at modify index N; otherwise 409.
 */
public final class VariableRoutes implements RouteGroup {
    private static final String PATH = "/v1/var/*path";

    private final EncryptedVariables variables;
    private final VariableList list;

    /**
     * @param variables the variables, encrypted, refused while the keyring is sealed
     * @param mapper turns metadata into the JSON a list filter reads
     * @param config how long a list filter may take
     */
    @Inject
    public VariableRoutes(EncryptedVariables variables, ObjectMapper mapper, HttpConfig config) {
        this.variables = requireNonNull(variables, "variables is null");
        this.list = new VariableList(variables, requireNonNull(mapper, "mapper is null"),
                requireNonNull(config, "config is null").filterTimeout());
    }

    @Override
    public List<Route> routes() {
        // All BLOCKING: the variable store may do I/O, and writes are durable.
        return List.of(
                // Checked per variable in the list: a caller with no list capability anywhere gets [], as in Nomad.
                Route.on("GET", "/v1/vars").permission(Permission.AUTHENTICATED)
                        .help("Lists the metadata of the variables you may list. ?namespace= (default \"default\", *"
                                + " for all), ?prefix= on the path, ?filter= a go-bexpr expression over the metadata,"
                                + " ?per_page= and ?next_token= to page (X-Nomad-NextToken).")
                        .watches(Watch.VARIABLES)
                        .runs(Execution.BLOCKING, list::answer),
                Route.on("GET", PATH).permission(permission("variables:read on the path", VariableCapability.READ))
                        .help("Reads the variable at the path in ?namespace= (default \"default\"): its metadata and"
                                + " Items. Needs read on the path; a workload identity may always read"
                                + " nomad/jobs/<its job>[/<group>[/<task>]].")
                        .watches(Watch.VARIABLES)
                        .runs(Execution.BLOCKING, this::read),
                // PUT is what Nomad's CLI and Go client send; Nomad answers POST the same way.
                Route.on(Set.of("PUT", "POST"), PATH)
                        .permission(permission("variables:write on the path", VariableCapability.WRITE))
                        .help("Creates or replaces the variable at the path in ?namespace= from {\"Items\":{\"key\":"
                                + "\"value\"}} (strings, 64 KiB in all). ?cas=0 creates only if absent, ?cas=N"
                                + " replaces only at ModifyIndex N (409 otherwise). Needs write on the path. Locks are"
                                + " not supported.")
                        .watches(Watch.VARIABLES)
                        .runs(Execution.BLOCKING_WITH_BODY, this::write),
                Route.on("DELETE", PATH)
                        .permission(permission("variables:destroy on the path", VariableCapability.DESTROY))
                        .help("Deletes the variable at the path in ?namespace= (204 even if there was none). ?cas=N"
                                + " deletes only at ModifyIndex N, ?cas=0 only if absent (409 otherwise). Needs"
                                + " destroy on the path.")
                        .watches(Watch.VARIABLES)
                        .runs(Execution.BLOCKING, this::delete));
    }

    private static Permission permission(String description, VariableCapability capability) {
        return VariableRequests.permission(description, capability, request -> request.param("path"));
    }

    private Object read(ApiRequest request) throws ApiException, StateUnavailableException {
        VariableTarget target = VariableTarget.of(request, request.param("path"));
        // The permission ran first: whether a variable exists is only disclosed to callers allowed to read it.
        DecryptedVariable variable = variables.read(target.namespace(), target.path())
                .orElseThrow(() -> new ApiException(404, "variable not found"));
        // Its index is the variables' (the chain sets it), not its ModifyIndex: the store's indexes need not be the
        // API's, and a blocking read must compare like with like.
        return VariableView.of(variable);
    }

    /** Answers the variable as written; the write's {@code X-Nomad-Index} is at least its modify index. */
    private Object write(ApiRequest request) throws ApiException, StateUnavailableException {
        VariableTarget target = VariableTarget.of(request, request.param("path"));
        VariableRequests.refuseLocks(request);
        OptionalLong cas = VariableRequests.cas(request);
        Map<String, String> items = VariableItems.ofVariableBody(request.bodyJson(), target.namespace(),
                target.path());
        DecryptedVariable written = variables.write(target.namespace(), target.path(), items, cas);
        return ApiResponse.ok(VariableView.of(written), Map.of()).withIndex(written.modifyIndex());
    }

    /** 204 whether or not it existed, as Nomad. */
    private Object delete(ApiRequest request) throws ApiException, StateUnavailableException {
        VariableTarget target = VariableTarget.of(request, request.param("path"));
        VariableRequests.refuseLocks(request);
        variables.delete(target.namespace(), target.path(), VariableRequests.cas(request));
        return ApiResponse.noContent();
    }
}
