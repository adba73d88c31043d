package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A response read by {@link UnixHttpClient}.
 *
 * <p>{@link #toString()} shows the body only for error statuses (≥ 400), whose bodies must never hold a secret;
 * a successful body may (a variable, a token), so only its length is shown.
 *
 * @param status the status code
 * @param headers the header fields (and any chunked trailer fields)
 * @param body the body decoded as UTF-8; empty when there is none
 */
public record HttpResponse(int status, ResponseHeaders headers, String body) {
    /** Checks that nothing is missing. */
    public HttpResponse {
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
    }

    /**
     * @param name a header name, in any case
     * @return its first value
     */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /**
     * @return the body parsed as JSON
     * @throws UncheckedIOException when it is not JSON
     */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the body of a " + status + " response is not JSON", e);
        }
    }

    @Override
    public String toString() {
        return "HttpResponse[status=" + status + ", headers=" + headers + ", body="
                + (status >= 400 ? body : "<" + body.length() + " chars>") + "]";
    }
}
