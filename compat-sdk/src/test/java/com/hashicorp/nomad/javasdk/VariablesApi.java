package com.hashicorp.nomad.javasdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Nomad's variables API ({@code /v1/var/*path}, {@code /v1/vars}) written the way the SDK writes each of its APIs, on
 * its own request machinery ({@link ApiBase}, package-private, hence this package): the SDK 0.11.3 predates Nomad's
 * variables (1.4) and has no such API. The SDK's code sends the token, reads the errors and the query metadata
 * ({@code X-Nomad-Index}, {@code X-Nomad-KnownLeader}); only the paths are this class's. Answers are left as JSON:
 * the SDK has no model for a variable.
 */
public final class VariablesApi extends ApiBase {
    /** @param apiClient the SDK's client */
    public VariablesApi(NomadApiClient apiClient) {
        super(apiClient);
    }

    /**
     * @param path a variable's path
     * @param options query options (a blocking index), or null
     * @return the variable, with its items
     * @throws IOException when the agent cannot be reached
     * @throws NomadException when it answers an error
     */
    public ServerQueryResponse<JsonNode> read(String path, QueryOptions<JsonNode> options)
            throws IOException, NomadException {
        return executeServerQuery("/v1/var/" + path, options, NomadJson.parserFor(JsonNode.class));
    }

    /**
     * @param prefix the paths' prefix
     * @param options query options, or null
     * @return the variables' metadata (no items)
     * @throws IOException when the agent cannot be reached
     * @throws NomadException when it answers an error
     */
    public ServerQueryResponse<List<JsonNode>> list(String prefix, QueryOptions<List<JsonNode>> options)
            throws IOException, NomadException {
        return executeServerQueryForPrefixFilteredList("/v1/vars", prefix, options,
                NomadJson.parserForListOf(JsonNode.class));
    }

    /**
     * @param path a variable's path
     * @param items its items
     * @return the variable as written
     * @throws IOException when the agent cannot be reached
     * @throws NomadException when it answers an error
     */
    public ServerResponse<JsonNode> write(String path, Map<String, String> items) throws IOException, NomadException {
        return executeServerAction(put("/v1/var/" + path, Map.of("Items", items), null),
                NomadJson.parserFor(JsonNode.class));
    }

    /**
     * Nomad answers a delete {@code 204} without a body (as this agent does). The SDK's request machinery takes every
     * status but 200 for an error and then fails reading the absent body ({@code IllegalArgumentException: Entity may
     * not be null}), so a successful delete cannot be read through it: callers check the variable is gone instead.
     *
     * @param path a variable's path
     * @return never, for a successful delete (see above)
     * @throws IOException when the agent cannot be reached
     * @throws NomadException when it answers an error with a body
     */
    public ServerResponse<Void> delete(String path) throws IOException, NomadException {
        return executeServerAction(delete(uri("/v1/var/" + path), null), null);
    }
}
