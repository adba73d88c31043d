package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Gives the errors Jetty produces itself (a malformed request line, headers too large, an exception that escaped)
 * the API's one error shape, {@code {"errors":[...]}}, instead of an HTML page. Never shows a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private final JsonResponses json;

    /** @param json writes the bodies */
    public JsonErrorHandler(JsonResponses json) {
        this.json = requireNonNull(json, "json is null");
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        // Jetty's own message may echo request bytes; the reason phrase is enough and safe.
        json.send(response, callback, code, java.util.Map.of("errors", List.of(reasonFor(code))));
    }

    @Override
    @SuppressWarnings("removal") // Jetty 12.1 still answers a bad request line through this; it goes with Jetty 13.
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON);
        return ByteBuffer.wrap(json.errorBytes(List.of(reasonFor(status))));
    }

    private static String reasonFor(int code) {
        String reason = HttpStatus.getMessage(code);
        return reason == null ? "Error " + code : reason;
    }
}
