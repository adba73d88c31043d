package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A success other than a plain 200 with a body: another status, no body, or extra headers. Routes return a bare
 * object for the common case and this for the rest.
 *
 * @param status a 2xx status
 * @param body the JSON body, if any
 * @param headers extra response headers
 * @param index the index of the state the answer reflects, when the route knows it better than its
 *     {@linkplain Route#watches parts'} index (a variable's modify index); the chain sends it as {@code X-Nomad-Index}
 */
public record ApiResponse(int status, Optional<Object> body, Map<String, String> headers, OptionalLong index) {
    /**
     * Checks the status and copies the headers.
     *
     * @param status see the record component of that name
     * @param body see the record component of that name
     * @param headers see the record component of that name
     * @param index see the record component of that name
     */
    public ApiResponse {
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("not a success status: " + status);
        }
        requireNonNull(body, "body is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(index, "index is null");
    }

    /**
     * An answer whose index is its route's parts' index.
     *
     * @param status a 2xx status
     * @param body the JSON body, if any
     * @param headers extra response headers
     */
    public ApiResponse(int status, Optional<Object> body, Map<String, String> headers) {
        this(status, body, headers, OptionalLong.empty());
    }

    /**
     * @param stateIndex the index of the state this answer reflects
     * @return this answer with it
     */
    public ApiResponse withIndex(long stateIndex) {
        return new ApiResponse(status, body, headers, OptionalLong.of(stateIndex));
    }

    /** @return 204 with no body */
    public static ApiResponse noContent() {
        return new ApiResponse(204, Optional.empty(), Map.of());
    }

    /**
     * @param contentType the body's media type
     * @param text the body
     * @return 200 with a body that is not JSON (Prometheus' text format, say)
     */
    public static ApiResponse text(String contentType, String text) {
        return new ApiResponse(200, Optional.of(new RawBody(contentType,
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8))), Map.of());
    }

    /**
     * @param json a JSON document, already serialized
     * @return 200 with it
     */
    public static ApiResponse json(byte[] json) {
        return new ApiResponse(200, Optional.of(new RawBody(JsonResponses.JSON, json)), Map.of());
    }

    /**
     * A body sent as is, not serialized as JSON.
     *
     * @param contentType its media type
     * @param bytes its bytes
     */
    public record RawBody(String contentType, byte[] bytes) {}

    /**
     * @param body the body
     * @param headers extra headers
     * @return 200 with the body and headers
     */
    public static ApiResponse ok(Object body, Map<String, String> headers) {
        return new ApiResponse(200, Optional.of(body), headers);
    }
}
