package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.acl.WorkloadClaim;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.api.ListFilter;
import io.taskapi.plugin.config.HttpConfig;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/vars}: the metadata of the variables the caller may list, as Nomad's {@code Variables.List}:
 * {@code ?namespace=} ({@code default}; {@code *} for every namespace), {@code ?prefix=} on the path,
 * {@code ?filter=} (go-bexpr over each variable's metadata), {@code ?per_page=} and {@code ?next_token=}
 * ({@code X-Nomad-NextToken} is {@code <namespace>.<path>} of the next page's first variable).
 *
 * <p>Any authenticated caller may ask; what it gets is filtered variable by variable by the {@code list} capability
 * (or a workload identity's implicit access to its own {@code nomad/jobs/…} paths), before filtering and paging, so
 * that a page is never short because of what the caller may not see. Nothing is decrypted.
 */
public final class VariableListRoute implements ApiRoute {
    private final EncryptedVariables variables;
    private final ObjectMapper mapper;
    private final Duration filterTimeout;

    /**
     * @param variables the variables, encrypted, refused while the keyring is sealed
     * @param mapper turns metadata into the JSON a filter reads
     * @param config how long a filter may take
     */
    @Inject
    public VariableListRoute(EncryptedVariables variables, ObjectMapper mapper, HttpConfig config) {
        this.variables = requireNonNull(variables, "variables is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.filterTimeout = requireNonNull(config, "config is null").filterTimeout();
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/vars";
    }

    @Override
    public Permission permission() {
        // Checked per variable in handle: a caller with no list capability anywhere gets [], as in Nomad.
        return Permission.AUTHENTICATED;
    }

    @Override
    public String help() {
        return "Lists the metadata of the variables you may list. ?namespace= (default \"default\", * for all),"
                + " ?prefix= on the path, ?filter= a go-bexpr expression over the metadata, ?per_page= and"
                + " ?next_token= to page (X-Nomad-NextToken).";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the variable store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        VariablePaths.checkNamespace(namespace, true);
        String prefix = request.query("prefix").orElse("");
        ListFilter filter = ListFilter.compile(request.query("filter"), filterTimeout);
        int perPage = perPage(request.query("per_page"));
        Optional<Cursor> from = request.query("next_token").filter(token -> !token.isEmpty())
                .map(token -> Cursor.parse(token, namespace));
        Acl acl = request.acl();
        Optional<WorkloadClaim> claim = VariableRequests.claim(request.identity());

        List<VariableView.Metadata> page = new ArrayList<>();
        String next = null;
        long index = 0;
        for (StoredVariable variable : variables.list(namespace, prefix)) {
            if (from.isPresent() && from.get().isAfter(variable)) {
                continue;
            }
            if (!acl.allowVariableOperation(variable.namespace(), variable.path(), VariableCapability.LIST, claim)) {
                continue;
            }
            VariableView.Metadata metadata = VariableView.Metadata.of(variable);
            if (!filter.matches(mapper.valueToTree(metadata))) {
                continue;
            }
            if (perPage > 0 && page.size() == perPage) {
                next = variable.namespace() + "." + variable.path();
                break;
            }
            page.add(metadata);
            index = Math.max(index, variable.modifyIndex());
        }
        Map<String, String> headers = new LinkedHashMap<>(VariableRequests.queryHeaders(index));
        if (next != null) {
            headers.put("X-Nomad-NextToken", next);
        }
        return ApiResponse.ok(page, headers);
    }

    private static int perPage(Optional<String> value) throws ApiException {
        if (value.isEmpty() || value.get().isEmpty()) {
            return 0;
        }
        try {
            int perPage = Integer.parseInt(value.get());
            if (perPage < 0) {
                throw new NumberFormatException();
            }
            return perPage;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "Expect a non-negative number for `per_page` query string parameter");
        }
    }

    /**
     * Where a page starts: Nomad's token {@code <namespace>.<path>} (neither may contain a dot). Compared field by
     * field, in the list's own order, rather than as one string, where {@code a-b.x} would sort before {@code a.x}.
     * A token without a dot is a path in the requested namespace (the first namespace for {@code *}).
     */
    private record Cursor(String namespace, String path) {
        static Cursor parse(String token, String requested) {
            int dot = token.indexOf('.');
            if (dot < 0) {
                return new Cursor(requested.equals("*") ? "" : requested, token);
            }
            return new Cursor(token.substring(0, dot), token.substring(dot + 1));
        }

        /** @return whether the variable comes before this cursor, so is on an earlier page */
        boolean isAfter(StoredVariable variable) {
            int byNamespace = namespace.compareTo(variable.namespace());
            return byNamespace > 0 || (byNamespace == 0 && path.compareTo(variable.path()) > 0);
        }
    }
}
