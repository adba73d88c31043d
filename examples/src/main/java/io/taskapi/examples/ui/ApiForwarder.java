package io.taskapi.examples.ui;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/…}: forwarded to the task socket with the browser user's token, from the {@code token} cookie, as
 * {@code X-Nomad-Token}. Nothing else of the browser's request is sent but its method, path, query, body and
 * {@code Content-Type}: not its cookies, not an {@code X-Nomad-Token} or {@code Authorization} of its own (the UI
 * never sends one; the cookie is the one credential this proxy carries, so there is one rule to check), not its
 * {@code Origin} (the proxy checked it: {@link SameOrigin}). The answer comes back with its status, body and the
 * API's headers the UI reads; {@code Set-Cookie} only from {@code /v1/acl/login}, whose cookie is the proxy's
 * session cookie as well.
 */
final class ApiForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(ApiForwarder.class);
    static final String COOKIE = "token";
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A blocking query may wait up to 10 minutes plus jitter (docs/api.md). */
    private static final Duration BLOCKING_TIMEOUT = Duration.ofMinutes(12);
    private static final Set<String> ANSWER_HEADERS = Set.of("content-type", "x-nomad-index", "x-nomad-nexttoken",
            "x-nomad-knownleader", "x-nomad-lastcontact", "allow", "retry-after");
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final TaskSocket api;

    ApiForwarder(TaskSocket api) {
        this.api = requireNonNull(api, "api is null");
    }

    void handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        Optional<String> refusal = SameOrigin.refusal(method, request.getHeaders());
        if (refusal.isPresent()) {
            Json.error(response, callback, 403, refusal.get());
            return;
        }
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        boolean login = path.equals("/v1/acl/login");
        Map<String, String> headers = new LinkedHashMap<>();
        if (!login) {
            // Login ignores a credential; an expired cookie must not be sent along with a new login.
            token(request).ifPresent(token -> headers.put("X-Nomad-Token", token));
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            Json.error(response, callback, 413, "Request body is larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        byte[] body;
        try {
            body = BODY_METHODS.contains(method) ? body(request) : null;
        } catch (IOException e) {
            Json.error(response, callback, 400, "Bad request: " + e.getMessage());
            return;
        }
        try {
            boolean blocking = query != null && query.matches("(.*&)?index=[1-9].*");
            TaskSocket.Answer answer = api.call(method, query == null ? path : path + "?" + query, headers, body,
                    blocking ? BLOCKING_TIMEOUT : TIMEOUT);
            response.setStatus(answer.status());
            answer.headers().forEach(header -> {
                String name = header.getKey().toLowerCase(Locale.ROOT);
                if (ANSWER_HEADERS.contains(name) || login && name.equals("set-cookie")) {
                    response.getHeaders().add(header.getKey(), header.getValue());
                }
            });
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        } catch (IOException e) {
            // The path only: a query may hold anything the user typed.
            LOG.warn("{} {}: the Task API did not answer: {}", method, path, e.getMessage());
            Json.error(response, callback, 502, "Bad gateway: the Task API socket did not answer: " + e.getMessage());
        }
    }

    /** @return the {@code token} cookie's value, if the browser sent one */
    static Optional<String> token(Request request) {
        return Request.getCookies(request).stream().filter(cookie -> cookie.getName().equals(COOKIE))
                .map(HttpCookie::getValue).filter(value -> !value.isEmpty()).findFirst();
    }

    /** @return the request's body, at most {@link #MAX_BODY_BYTES} (a chunked body past it is refused) */
    static byte[] body(Request request) throws IOException {
        // Blocking: a proxy thread waits for the browser's body, which a UI's small JSON bodies make short.
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IOException("the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        }
    }
}
