package io.taskapi.examples.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The proxy's own routes, under {@code /ui/}: {@code POST /ui/login} (a pasted token, checked with
 * {@code /v1/acl/token/self}, becomes the {@code token} cookie), {@code POST /ui/logout} (the cookie cleared) and
 * {@code GET /ui/health} (the task socket's health, asked with the proxy's own workload identity: the one call that
 * identity is used for).
 */
final class SessionRoutes {
    /** An ACL token's secret is a UUID, a workload identity a JWT: nothing that needs quoting in a cookie. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{1,8192}");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TaskSocket api;
    private final Supplier<Optional<String>> ownIdentity;

    /**
     * @param api the task socket
     * @param ownIdentity the proxy's workload identity, if it has one
     */
    SessionRoutes(TaskSocket api, Supplier<Optional<String>> ownIdentity) {
        this.api = requireNonNull(api, "api is null");
        this.ownIdentity = requireNonNull(ownIdentity, "ownIdentity is null");
    }

    /** @return whether the path is one of these routes (then it was answered) */
    boolean handle(String path, Request request, Response response, Callback callback) throws IOException {
        switch (path) {
            case "/ui/login" -> {
                if (allowed(request, response, callback, "POST")) {
                    login(request, response, callback);
                }
            }
            case "/ui/logout" -> {
                if (allowed(request, response, callback, "POST")) {
                    Response.addCookie(response, cookie("", 0));
                    response.setStatus(204);
                    callback.succeeded();
                }
            }
            case "/ui/health" -> {
                if (allowed(request, response, callback, "GET")) {
                    health(response, callback);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(Request request, Response response, Callback callback, String method) {
        if (!request.getMethod().equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, method);
            Json.error(response, callback, 405, "Method not allowed; " + request.getHttpURI().getPath() + " allows "
                    + method);
            return false;
        }
        Optional<String> refusal = SameOrigin.refusal(method, request.getHeaders());
        refusal.ifPresent(message -> Json.error(response, callback, 403, message));
        return refusal.isEmpty();
    }

    private void login(Request request, Response response, Callback callback) throws IOException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ApiForwarder.body(request));
        } catch (IOException e) {
            Json.error(response, callback, 400, "Request body must be a JSON object {\"Token\":\"…\"}");
            return;
        }
        String token = body == null ? "" : body.path("Token").asText("").trim();
        if (!TOKEN.matcher(token).matches()) {
            Json.error(response, callback, 400, "A token is an ACL token's secret ID or a workload identity (JWT)");
            return;
        }
        TaskSocket.Answer answer = api.call("GET", "/v1/acl/token/self", Map.of("X-Nomad-Token", token), null,
                TIMEOUT);
        if (answer.status() != 200) {
            passOn(answer, response, callback);
            return;
        }
        JsonNode self = Json.MAPPER.readTree(answer.body());
        if (self instanceof ObjectNode object) {
            object.remove("SecretID");  // the browser keeps the secret in an HttpOnly cookie, out of scripts' reach
        }
        Response.addCookie(response, cookie(token, -1));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Json.write(response, callback, 200, self);
    }

    private void health(Response response, Callback callback) throws IOException {
        Map<String, String> headers = ownIdentity.get().map(t -> Map.of("X-Nomad-Token", t)).orElse(Map.of());
        TaskSocket.Answer answer = api.call("GET", "/v1/agent/health", headers, null, TIMEOUT);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("proxy", "ok");
        body.put("apiStatus", answer.status());
        try {
            body.set("api", Json.MAPPER.readTree(answer.body()));
        } catch (IOException e) {
            body.put("api", answer.text());
        }
        Json.write(response, callback, answer.status() == 200 ? 200 : 503, body);
    }

    private static void passOn(TaskSocket.Answer answer, Response response, Callback callback) {
        response.setStatus(answer.status());
        answer.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
                .forEach(h -> response.getHeaders().put(h.getKey(), h.getValue()));
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    /** The cookie as the API's login sets it; {@code maxAge} 0 clears it, -1 keeps it for the browser's session. */
    static HttpCookie cookie(String value, long maxAge) {
        return HttpCookie.build(ApiForwarder.COOKIE, value).path("/").httpOnly(true).secure(true)
                .sameSite(HttpCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
