package io.taskapi.spi.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An authenticated, authorized request to an {@link AgentRoute}.
 *
 * @param params the path's {@code :name} and {@code *name} values
 * @param query the query parameters, each with its values in order
 * @param body the request body (within the plugin's size limit), possibly empty
 * @param caller who is calling, for the agent's own records; never a secret
 * @param access what the caller may do in a namespace, for a route that filters what it shows by namespace
 */
public record AgentRequest(Map<String, String> params, Map<String, List<String>> query, byte[] body,
                           String caller, CallerAccess access) {
    /**
     * Copies everything and checks that nothing is missing.
     *
     * @param params see the record component of that name
     * @param query see the record component of that name
     * @param body see the record component of that name
     * @param caller see the record component of that name
     * @param access see the record component of that name
     */
    public AgentRequest {
        params = Map.copyOf(requireNonNull(params, "params is null"));
        query = Map.copyOf(requireNonNull(query, "query is null"));
        body = requireNonNull(body, "body is null").clone();
        requireNonNull(caller, "caller is null");
        requireNonNull(access, "access is null");
    }

    /**
     * A request without the caller's access: {@link CallerAccess#allows} is always false.
     *
     * @param params see the record component of that name
     * @param query see the record component of that name
     * @param body see the record component of that name
     * @param caller see the record component of that name
     */
    public AgentRequest(Map<String, String> params, Map<String, List<String>> query, byte[] body, String caller) {
        this(params, query, body, caller, CallerAccess.NONE);
    }

    /** @return a copy of the body */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * @param name a query parameter
     * @return its first value, if present
     */
    public Optional<String> firstQuery(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
