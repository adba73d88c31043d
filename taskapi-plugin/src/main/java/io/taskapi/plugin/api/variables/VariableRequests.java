package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.acl.VariableCapability;
import io.taskapi.plugin.acl.WorkloadClaim;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.auth.WorkloadIdentity;
import io.taskapi.plugin.authz.AccessRequest;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** What the variable and secret routes read from a request the same way: namespace, workload claim, CAS, locks. */
final class VariableRequests {
    /** Nomad's default when a request names no namespace. */
    static final String DEFAULT_NAMESPACE = "default";

    private static final List<String> LOCK_OPERATIONS = List.of("lock-acquire", "lock-release", "lock-renew");
    /**
     * Group-bound implicit paths need the group, which only a Nomad-shaped {@code sub} carries. Without it the claim
     * names this group, which no path can contain (the ACL refuses paths with NUL), so the identity keeps its
     * job-level access ({@code nomad/jobs}, {@code nomad/jobs/<job>}) and gets nothing group- or task-level.
     */
    private static final String UNKNOWN_GROUP = "\0";

    private VariableRequests() {}

    /**
     * @param request a request
     * @return {@code ?namespace=}, or {@code default} when it is absent or empty (as Nomad); not validated
     */
    static String namespace(AccessRequest request) {
        return request.query("namespace").filter(value -> !value.isEmpty()).orElse(DEFAULT_NAMESPACE);
    }

    /**
     * @param identity who is calling
     * @return the claim a workload identity makes for its implicit {@code nomad/jobs/…} access; empty otherwise
     */
    static Optional<WorkloadClaim> claim(Identity identity) {
        if (!(identity instanceof WorkloadIdentity workload)) {
            return Optional.empty();
        }
        if (workload.namespace().isEmpty() || workload.jobId().isEmpty() || workload.task().isEmpty()) {
            return Optional.empty();   // nothing a claim could safely name
        }
        return Optional.of(new WorkloadClaim(workload.namespace(), workload.jobId(),
                workload.group().orElse(UNKNOWN_GROUP), workload.task()));
    }

    /**
     * A permission on one variable: the capability on its path in the request's namespace, with a workload
     * identity's implicit read and list access.
     *
     * @param description how the route table names it
     * @param capability the operation
     * @param variablePath the variable path a request is about (the path parameter, or {@code secret/} and it)
     * @return the permission
     */
    static Permission permission(String description, VariableCapability capability,
                                 Function<AccessRequest, String> variablePath) {
        requireNonNull(capability, "capability is null");
        requireNonNull(variablePath, "variablePath is null");
        return new Permission(description, request -> request.acl().allowVariableOperation(namespace(request),
                variablePath.apply(request), capability, claim(request.identity())));
    }

    /**
     * @param request a write or delete
     * @return Nomad's check-and-set index from {@code ?cas=}: 0 for "only if absent", N for "only if at index N";
     *     empty when absent or empty (as Nomad)
     * @throws ApiException 400 when it is not an unsigned integer
     */
    static OptionalLong cas(ApiRequest request) throws ApiException {
        Optional<String> value = request.query("cas").filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(value.get()));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "can not parse cas: \"" + value.get().replaceAll("[^\\x20-\\x7e]", "?")
                    + "\" is not an unsigned integer");
        }
    }

    /**
     * @param request a write or delete
     * @throws ApiException 400 when it asks for a lock operation, which this API does not have
     */
    static void refuseLocks(ApiRequest request) throws ApiException {
        for (String operation : LOCK_OPERATIONS) {
            if (request.query(operation).isPresent()) {
                throw locksNotSupported();
            }
        }
    }

    /** @return the answer to anything about variable locks */
    static ApiException locksNotSupported() {
        return new ApiException(400, "variable locks are not supported");
    }
}
