package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes JSON bodies, including the one error shape every status of 400 or more uses: {@code {"errors":[...]}}. */
public final class JsonResponses {
    static final String JSON = "application/json";

    private final ObjectMapper mapper;

    /** @param mapper the mapper that serializes bodies */
    @Inject
    public JsonResponses(ObjectMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * Sends a body with a status.
     *
     * @param response where to write
     * @param callback completed when the body is written
     * @param status the status
     * @param body any value Jackson can serialize
     */
    public void send(Response response, Callback callback, int status, Object body) {
        send(response, callback, status, body, false);
    }

    private void send(Response response, Callback callback, int status, Object body, boolean pretty) {
        byte[] bytes = pretty ? toPrettyBytes(body) : toBytes(body);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * @param body any value Jackson can serialize
     * @return it as JSON
     */
    public byte[] toBytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // Our own response types always serialize; reaching this is a bug worth a 500 with a real cause.
            throw new IllegalStateException("cannot serialize response body of type " + body.getClass().getName(), e);
        }
    }

    private byte[] toPrettyBytes(Object body) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response body of type " + body.getClass().getName(), e);
        }
    }

    /** A JSON body written elsewhere (an agent's route), indented; as it is if it does not parse. */
    private byte[] indented(byte[] json) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(mapper.readTree(json));
        } catch (java.io.IOException e) {
            return json;
        }
    }

    /**
     * @param result what a route returned
     * @return the status {@link #sendResult} will send for it
     */
    public static int statusOf(Object result) {
        return result instanceof ApiResponse answer ? answer.status() : 200;
    }

    /**
     * Sends whatever a route returned: a bare body means 200.
     *
     * @param response where to write
     * @param callback completed when the body is written
     * @param result the route's result
     */
    public void sendResult(Response response, Callback callback, Object result) {
        sendResult(response, callback, result, false);
    }

    /**
     * Sends whatever a route returned, indented for {@code ?pretty}.
     *
     * @param response where to write
     * @param callback completed when the body is written
     * @param result the route's result
     * @param pretty whether to indent JSON
     */
    public void sendResult(Response response, Callback callback, Object result, boolean pretty) {
        if (!(result instanceof ApiResponse answer)) {
            send(response, callback, 200, result, pretty);
            return;
        }
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (answer.body().isPresent() && answer.body().get() instanceof ApiResponse.RawBody raw) {
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, raw.contentType());
            byte[] bytes = pretty && raw.contentType().startsWith(JSON) ? indented(raw.bytes()) : raw.bytes();
            response.write(true, ByteBuffer.wrap(bytes), callback);
        } else if (answer.body().isPresent()) {
            send(response, callback, answer.status(), answer.body().get(), pretty);
        } else {
            response.setStatus(answer.status());
            callback.succeeded();
        }
    }

    /**
     * Sends {@code {"errors":[...]}}.
     *
     * @param response where to write
     * @param callback completed when the body is written
     * @param error the status and messages
     */
    public void sendError(Response response, Callback callback, ApiException error) {
        sendError(response, callback, error, false);
    }

    /**
     * Sends {@code {"errors":[...]}}, indented for {@code ?pretty}.
     *
     * @param response where to write
     * @param callback completed when the body is written
     * @param error the status and messages
     * @param pretty whether to indent it
     */
    public void sendError(Response response, Callback callback, ApiException error, boolean pretty) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(error.details());
        body.put("errors", error.messages());
        send(response, callback, error.status(), body, pretty);
    }

    /**
     * @param messages one per problem
     * @return the error body as bytes, for places that cannot go through {@link #send}
     */
    public byte[] errorBytes(List<String> messages) {
        try {
            return mapper.writeValueAsBytes(errorBody(messages));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an error body", e);
        }
    }

    private static Map<String, List<String>> errorBody(List<String> messages) {
        return Map.of("errors", messages);
    }
}
