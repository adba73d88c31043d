package io.taskapi.spi.api;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A successful answer of an {@link AgentRoute}.
 *
 * @param status a 2xx status
 * @param contentType the body's media type
 * @param body the body, possibly empty
 * @param headers extra response headers
 */
public record AgentResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    /**
     * Checks the status and copies the body and headers.
     *
     * @param status see the record component of that name
     * @param contentType see the record component of that name
     * @param body see the record component of that name
     * @param headers see the record component of that name
     */
    public AgentResponse {
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("not a success status: " + status + " (throw AgentRouteException)");
        }
        requireNonNull(contentType, "contentType is null");
        body = requireNonNull(body, "body is null").clone();
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    /** @return a copy of the body */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * @param json a JSON document
     * @return 200 with that body
     */
    public static AgentResponse json(String json) {
        return new AgentResponse(200, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
