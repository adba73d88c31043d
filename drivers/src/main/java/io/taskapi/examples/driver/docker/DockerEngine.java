package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The few Docker Engine API calls the driver makes, unversioned (the engine's current API version: every field used
 * here has been stable since API 1.24, and an engine rejects a client version it considers too old or too new).
 *
 * <p>Thread-safe: each call has its own connection.
 */
final class DockerEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private final Path socket;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration pullTimeout;

    /** A call the engine answered with an error status. */
    static final class EngineError extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        EngineError(String call, int status, String message) {
            super(call + ": HTTP " + status + (message.isEmpty() ? "" : ": " + message));
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    DockerEngine(Path socket, Duration connectTimeout, Duration readTimeout, Duration pullTimeout) {
        this.socket = requireNonNull(socket, "socket is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
        this.readTimeout = requireNonNull(readTimeout, "readTimeout is null");
        this.pullTimeout = requireNonNull(pullTimeout, "pullTimeout is null");
    }

    Path socket() {
        return socket;
    }

    /** {@code GET /_ping}: is an engine there at all. */
    void ping() throws IOException {
        call("ping", "GET", "/_ping", null, readTimeout, 200);
    }

    /**
     * {@code POST /containers/create?name=…}.
     *
     * @return the container's id
     */
    String createContainer(String name, ObjectNode spec) throws IOException {
        JsonNode answer = json(call("create container", "POST", "/containers/create?name=" + encode(name),
                JSON.writeValueAsBytes(spec), readTimeout, 201));
        String id = answer.path("Id").asText("");
        if (id.isEmpty()) {
            throw new IOException("create container: the engine's answer has no Id");
        }
        return id;
    }

    /**
     * {@code POST /images/create?fromImage=…}: pulls the image. The engine answers 200 at once and streams progress;
     * a failure is an {@code error} line inside that stream.
     */
    void pullImage(String image) throws IOException {
        UnixHttpConnection.Response response = exchange("POST", "/images/create?fromImage=" + encode(image), null,
                pullTimeout);
        expect("pull image", response, 200);
        for (String line : response.text().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            if (event.hasNonNull("error")) {
                throw new IOException("pull image: " + event.path("error").asText());
            }
        }
    }

    /** {@code POST /containers/{id}/start}; 304 (already started) is fine. */
    void start(String id) throws IOException {
        call("start container", "POST", "/containers/" + encode(id) + "/start", null, readTimeout, 204, 304);
    }

    /**
     * {@code POST /containers/{id}/wait}: blocks until the container is not running, with no time limit (the task
     * may run for days; the connect still has its timeout).
     *
     * @return the exit code
     */
    int waitForExit(String id) throws IOException {
        try (UnixHttpConnection connection = UnixHttpConnection.open(socket, connectTimeout)) {
            UnixHttpConnection.Response response = connection.exchange("POST", "/containers/" + encode(id) + "/wait",
                    null, null, Duration.ZERO);
            expect("wait for container", response, 200);
            JsonNode answer = json(response);
            if (!answer.has("StatusCode")) {
                throw new IOException("wait for container: the engine's answer has no StatusCode");
            }
            return answer.path("StatusCode").asInt();
        }
    }

    /** {@code POST /containers/{id}/kill?signal=…}; 409 (not running) is fine: it has ended already. */
    void kill(String id, String signal) throws IOException {
        call("kill container", "POST", "/containers/" + encode(id) + "/kill?signal=" + encode(signal), null,
                readTimeout, 204, 409);
    }

    /**
     * {@code GET /containers/{id}/logs?stdout=1&stderr=1}: the whole output so far, demultiplexed (no TTY: each
     * frame is a stream byte, three zero bytes, a big-endian length, then the payload).
     */
    void copyLogs(String id, OutputStream stdout, OutputStream stderr) throws IOException {
        UnixHttpConnection.Response response = exchange("GET", "/containers/" + encode(id)
                + "/logs?stdout=1&stderr=1", null, pullTimeout);
        expect("container logs", response, 200);
        byte[] body = response.body();
        int at = 0;
        while (at + 8 <= body.length) {
            int stream = body[at];
            int length = ((body[at + 4] & 0xff) << 24) | ((body[at + 5] & 0xff) << 16) | ((body[at + 6] & 0xff) << 8)
                    | (body[at + 7] & 0xff);
            at += 8;
            if (length < 0 || at + length > body.length) {
                throw new IOException("container logs: truncated frame");
            }
            (stream == 2 ? stderr : stdout).write(body, at, length);
            at += length;
        }
    }

    /** {@code DELETE /containers/{id}?force=1&v=1}; 404 (gone already) is fine. */
    void remove(String idOrName) throws IOException {
        call("remove container", "DELETE", "/containers/" + encode(idOrName) + "?force=1&v=1", null, readTimeout,
                204, 404);
    }

    /** @return {@code State.ExitCode} of a container that is not running, if the engine knows the container */
    Optional<Integer> exitCodeIfStopped(String id) throws IOException {
        UnixHttpConnection.Response response = exchange("GET", "/containers/" + encode(id) + "/json", null,
                readTimeout);
        if (response.status() == 404) {
            return Optional.empty();
        }
        expect("inspect container", response, 200);
        JsonNode state = json(response).path("State");
        return state.path("Running").asBoolean(false) ? Optional.empty()
                : Optional.of(state.path("ExitCode").asInt());
    }

    private UnixHttpConnection.Response call(String what, String method, String target, byte[] body,
                                             Duration timeout, int... expected) throws IOException {
        UnixHttpConnection.Response response = exchange(method, target, body, timeout);
        expect(what, response, expected);
        return response;
    }

    private UnixHttpConnection.Response exchange(String method, String target, byte[] body, Duration timeout)
            throws IOException {
        try (UnixHttpConnection connection = UnixHttpConnection.open(socket, connectTimeout)) {
            return connection.exchange(method, target, body == null ? null : JSON_TYPE, body, timeout);
        }
    }

    private static void expect(String what, UnixHttpConnection.Response response, int... expected)
            throws EngineError {
        for (int status : expected) {
            if (response.status() == status) {
                return;
            }
        }
        throw new EngineError(what, response.status(), message(response));
    }

    /** The engine's {@code {"message": …}}, or the body's start. */
    private static String message(UnixHttpConnection.Response response) {
        String text = response.text().trim();
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.hasNonNull("message")) {
                return node.path("message").asText();
            }
        } catch (IOException e) {
            // not JSON: show the text
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static JsonNode json(UnixHttpConnection.Response response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
