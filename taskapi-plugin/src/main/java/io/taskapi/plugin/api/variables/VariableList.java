package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.acl.WorkloadClaim;
import io.taskapi.plugin.api.ListQuery;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/vars}: the metadata of the variables the caller may list, as Nomad's {@code Variables.List}:
 * {@code ?namespace=} ({@code default}; {@code *} for every namespace) and the {@link ListQuery} ({@code ?prefix=} on
 * the path, {@code ?filter=} over each variable's metadata, {@code ?per_page=}, {@code ?next_token=}:
 * {@code X-Nomad-NextToken} is {@code <namespace>.<path>} of the next page's first variable).
 *
 * <p>What the caller gets is filtered variable by variable by the {@code list} capability (or a workload identity's
 * implicit access to its own {@code nomad/jobs/…} paths), before filtering and paging, so that a page is never short
 * because of what the caller may not see. Nothing is decrypted.
 */
final class VariableList {
    private final EncryptedVariables variables;
    private final ObjectMapper mapper;
    private final Duration filterTimeout;

    VariableList(EncryptedVariables variables, ObjectMapper mapper, Duration filterTimeout) {
        this.variables = requireNonNull(variables, "variables is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.filterTimeout = requireNonNull(filterTimeout, "filterTimeout is null");
    }

    Object answer(ApiRequest request) throws ApiException, StateUnavailableException {
        String namespace = VariableRequests.namespace(request);
        VariablePaths.checkNamespace(namespace, true);
        ListQuery query = ListQuery.of(request, filterTimeout);
        Optional<Cursor> from = Optional.of(query.nextToken()).filter(token -> !token.isEmpty())
                .map(token -> Cursor.parse(token, namespace));
        Acl acl = request.acl();
        Optional<WorkloadClaim> claim = VariableRequests.claim(request.identity());

        List<VariableView.Metadata> page = new ArrayList<>();
        String next = null;
        for (StoredVariable variable : variables.list(namespace, query.prefix())) {
            if (from.isPresent() && from.get().isAfter(variable)) {
                continue;
            }
            if (!acl.allowVariableOperation(variable.namespace(), variable.path(), VariableCapability.LIST, claim)) {
                continue;
            }
            VariableView.Metadata metadata = VariableView.Metadata.of(variable);
            if (!query.filter().matches(mapper.valueToTree(metadata))) {
                continue;
            }
            if (query.isFull(page.size())) {
                next = variable.namespace() + "." + variable.path();
                break;
            }
            page.add(metadata);
        }
        // The index is the variables' (the chain sets it): a delete moves it, which no listed ModifyIndex shows.
        Map<String, String> headers = new LinkedHashMap<>();
        if (next != null) {
            headers.put(ListQuery.NEXT_TOKEN_HEADER, next);
        }
        return ApiResponse.ok(page, headers);
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
