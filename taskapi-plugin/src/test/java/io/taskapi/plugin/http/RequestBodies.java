package io.taskapi.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/** For the request-body fuzz tests: a body read the way {@link ApiRequest#bodyJson()} reads it, and its 400s. */
public final class RequestBodies {
    /** The API's one JSON configuration, as the module provides it. */
    private static final ObjectMapper MAPPER = ObjectMappers.create();

    private RequestBodies() {}

    /**
     * Reads a body with the API's mapper. An empty body and an {@link IOException} are what {@code bodyJson} answers
     * with 400; anything else escaping the mapper (a stack overflow on deep nesting, say) fails the fuzz test.
     *
     * @param body the raw body
     * @return the document, or empty where {@code bodyJson} answers 400
     */
    public static Optional<JsonNode> json(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A body reader's refusal must be a 400 with at least one message, none empty.
     *
     * @param e the refusal
     */
    public static void assertBadRequest(ApiException e) {
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.messages()).isNotEmpty().allSatisfy(message -> assertThat(message).isNotBlank());
    }
}
