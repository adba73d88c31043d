package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The few Docker Engine API calls the driver makes, unversioned (the engine's current API version: every field used
 * here has been stable since API 1.24, and an engine rejects a client version it considers too old or too new).
 *
 * <p>Calls go through Jetty's HTTP client over a {@link Transport.TCPUnix} transport, one connection per call
 * ({@code Connection: close}); each call's waits are bounded by its idle timeout, the connect by the connect timeout.
 *
 * <p>Thread-safe: each call has its own connection.
 */
final class DockerEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final int MAX_BODY_BYTES = 256 * 1024 * 1024;

    private final Path socket;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration pullTimeout;
    private HttpClient http;

    /** An answer of the engine. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

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
     * {@code GET /version}, for the fingerprint.
     *
     * @param timeout how long the engine may take to answer
     * @return the engine's {@code Version}, such as {@code 20.10.24+dfsg1}
     */
    String version(Duration timeout) throws IOException {
        JsonNode answer = json(call("version", "GET", "/version", null, timeout, 200));
        String version = answer.path("Version").asText("");
        if (version.isEmpty()) {
            throw new IOException("version: the engine's answer has no Version");
        }
        return version;
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
        Response response = exchange("POST", "/images/create?fromImage=" + encode(image), null,
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
        Response response = exchange("POST", "/containers/" + encode(id) + "/wait", null, Duration.ZERO);
        expect("wait for container", response, 200);
        JsonNode answer = json(response);
        if (!answer.has("StatusCode")) {
            throw new IOException("wait for container: the engine's answer has no StatusCode");
        }
        return answer.path("StatusCode").asInt();
    }

    /**
     * {@code POST /containers/{id}/exec}: creates a command to run in the running container.
     *
     * @return the exec's id
     */
    String createExec(String containerId, ObjectNode spec) throws IOException {
        JsonNode answer = json(call("create exec", "POST", "/containers/" + encode(containerId) + "/exec",
                JSON.writeValueAsBytes(spec), readTimeout, 201));
        String id = answer.path("Id").asText("");
        if (id.isEmpty()) {
            throw new IOException("create exec: the engine's answer has no Id");
        }
        return id;
    }

    /**
     * {@code POST /exec/{id}/start}, attached: the engine hijacks the connection ({@code Upgrade: tcp}) and from then
     * on it carries the command's input one way and its output the other (multiplexed in 8-byte-headed frames without
     * a terminal, raw with one). Written by hand on a Unix socket channel, as {@link #copyLogs}: an HTTP client
     * cannot hand over a hijacked connection.
     *
     * @return the connection, after the engine's answer head; closing it ends the stream
     */
    SocketChannel startExec(String execId, boolean tty) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("Detach", false).put("Tty", tty));
            channel.write(ByteBuffer.wrap(("POST /exec/" + encode(execId) + "/start HTTP/1.1\r\nHost: docker\r\n"
                    + "User-Agent: taskapi-docker-driver\r\nContent-Type: application/json\r\nConnection: Upgrade\r\n"
                    + "Upgrade: tcp\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            channel.write(ByteBuffer.wrap(body));
            // Read byte by byte up to the end of the head: what follows is the command's output, not ours to buffer.
            InputStream in = Channels.newInputStream(channel);
            String[] statusLine = readLine(in).split(" ", 3);
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
            while (!readLine(in).isEmpty()) {
                // headers: nothing needed from them
            }
            if (status != 101 && status != 200) {
                throw new IOException("start exec: the engine answered " + status);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** {@code POST /exec/{id}/resize?h=…&w=…}: the exec's terminal size. */
    void resizeExec(String execId, int height, int width) throws IOException {
        call("resize exec", "POST", "/exec/" + encode(execId) + "/resize?h=" + height + "&w=" + width, null,
                readTimeout, 200, 201);
    }

    /** The state of an exec: running, its exit code, and its process's pid on the host. */
    record ExecState(boolean running, int exitCode, long pid) {}

    /** {@code GET /exec/{id}/json}. */
    ExecState inspectExec(String execId) throws IOException {
        JsonNode answer = json(call("inspect exec", "GET", "/exec/" + encode(execId) + "/json", null, readTimeout,
                200));
        return new ExecState(answer.path("Running").asBoolean(), answer.path("ExitCode").asInt(-1),
                answer.path("Pid").asLong(0));
    }

    /** {@code POST /containers/{id}/kill?signal=…}; 409 (not running) is fine: it has ended already. */
    void kill(String id, String signal) throws IOException {
        call("kill container", "POST", "/containers/" + encode(id) + "/kill?signal=" + encode(signal), null,
                readTimeout, 204, 409);
    }

    /**
     * {@code GET /containers/{id}/logs?stdout=1&stderr=1[&follow=1][&since=…]}, demultiplexed as it arrives (no TTY:
     * each frame is a stream byte, three zero bytes, a big-endian length, then the payload) and flushed frame by frame,
     * so that what a task printed is on disk even if the engine goes away later.
     *
     * @param follow whether to go on until the container stops (no time limit then), or stop at the output so far
     * @param since only output logged at or after this time (seconds since the epoch, {@code 1700000000.123456789})
     * @param last the time of the last message written: messages not after it are skipped, and it is moved on
     */
    void copyLogs(String id, boolean follow, Optional<String> since, AtomicReference<Instant> last,
                  OutputStream stdout, OutputStream stderr) throws IOException {
        String target = "/containers/" + encode(id) + "/logs?stdout=1&stderr=1&timestamps=1"
                + (follow ? "&follow=1" : "") + since.map(s -> "&since=" + encode(s)).orElse("");
        // A plain blocking exchange on the JDK's Unix socket channel: Jetty's InputStreamResponseListener did not
        // hand over a followed stream's chunks as they came (seen with dockerd 20.10), and this call must.
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            if (!follow) {
                // Bounded, as every call but the waits: closing the channel ends a read that waits too long.
                CompletableFuture.delayedExecutor(pullTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> closeQuietly(channel));
            }
            channel.write(ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: docker\r\nUser-Agent:"
                    + " taskapi-docker-driver\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            InputStream raw = new BufferedInputStream(Channels.newInputStream(channel));
            String[] statusLine = readLine(raw).split(" ", 3);
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
            boolean chunked = false;
            for (String line = readLine(raw); !line.isEmpty(); line = readLine(raw)) {
                chunked |= line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:")
                        && line.toLowerCase(Locale.ROOT).contains("chunked");
            }
            InputStream body = chunked ? new ChunkedInputStream(raw) : raw;
            if (status != 200) {
                expect("container logs", new Response(status, body.readNBytes(64 * 1024)), 200);
            }
            byte[] header = new byte[8];
            while (true) {
                int got = body.readNBytes(header, 0, 8);
                if (got == 0) {
                    return;
                }
                if (got < 8) {
                    throw new IOException("container logs: truncated frame");
                }
                int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                        | (header[7] & 0xff);
                if (length < 0) {
                    throw new IOException("container logs: bad frame length");
                }
                byte[] payload = body.readNBytes(length);
                if (payload.length < length) {
                    throw new IOException("container logs: truncated frame");
                }
                // Each frame is one logged message, "<RFC 3339 time with nanoseconds> <text>": a message at or before
                // the last one written is skipped, so that copying again after a broken follow writes nothing twice.
                int space = indexOf(payload, (byte) ' ');
                Optional<Instant> logged = space > 0 ? parseTime(new String(payload, 0, space,
                        StandardCharsets.US_ASCII)) : Optional.empty();
                if (logged.isPresent() && last.get() != null && !logged.get().isAfter(last.get())) {
                    continue;
                }
                int from = logged.isPresent() ? space + 1 : 0;
                OutputStream out = header[0] == 2 ? stderr : stdout;
                out.write(payload, from, payload.length - from);
                out.flush();
                logged.ifPresent(last::set);
            }
        }
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length && i < 40; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<Instant> parseTime(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the engine closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** HTTP/1.1's chunked body: each chunk's size in hex on its own line, then the bytes; size 0 ends it. */
    private static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!nextChunk()) {
                return -1;
            }
            int got = in.read(buffer, offset, (int) Math.min(length, left));
            if (got < 0) {
                throw new IOException("the engine closed the connection inside a chunk");
            }
            left -= got;
            return got;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            if (left == 0) {
                String size = readLine(in);
                if (size.isEmpty()) {
                    size = readLine(in);    // the CRLF that ends the previous chunk
                }
                int extension = size.indexOf(';');
                left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                if (left == 0) {
                    done = true;
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code DELETE /containers/{id}?force=1&v=1}; 404 (gone already) is fine. */
    void remove(String idOrName) throws IOException {
        call("remove container", "DELETE", "/containers/" + encode(idOrName) + "?force=1&v=1", null, readTimeout,
                204, 404);
    }

    /**
     * A container's state, as {@code GET /containers/{id}/json} gives it.
     *
     * @param running whether it runs
     * @param exitCode {@code State.ExitCode}: its exit code once it has stopped
     */
    record ContainerState(boolean running, int exitCode) {}

    /** @return the container's state, or empty when the engine does not know the container (404) */
    Optional<ContainerState> inspect(String id) throws IOException {
        Response response = exchange("GET", "/containers/" + encode(id) + "/json", null, readTimeout);
        if (response.status() == 404) {
            return Optional.empty();
        }
        expect("inspect container", response, 200);
        JsonNode state = json(response).path("State");
        return Optional.of(new ContainerState(state.path("Running").asBoolean(false), state.path("ExitCode").asInt()));
    }

    /** @return {@code State.ExitCode} of a container that is not running, if the engine knows the container */
    Optional<Integer> exitCodeIfStopped(String id) throws IOException {
        return inspect(id).filter(state -> !state.running()).map(ContainerState::exitCode);
    }

    private Response call(String what, String method, String target, byte[] body,
                                             Duration timeout, int... expected) throws IOException {
        Response response = exchange(method, target, body, timeout);
        expect(what, response, expected);
        return response;
    }

    /**
     * One exchange on its own connection ({@code Connection: close}).
     *
     * @param idleTimeout how long any single wait for the engine may take; {@link Duration#ZERO}: no limit
     */
    private Response exchange(String method, String target, byte[] body, Duration idleTimeout) throws IOException {
        Request request = request(method, target, body, idleTimeout);
        try {
            ContentResponse response = new CompletableResponseListener(request, MAX_BODY_BYTES).send().get();
            return new Response(response.getStatus(), response.getContent());
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the engine");
        }
    }

    private Request request(String method, String target, byte[] body, Duration idleTimeout) throws IOException {
        Request request = http().newRequest("docker", 80)
                .transport(new Transport.TCPUnix(socket))
                .method(method)
                .path(target)
                .idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(fields -> fields.put(HttpHeader.CONNECTION, "close"));
        if (body != null) {
            request.body(new BytesRequestContent(JSON_TYPE, body));
        } else if (!"GET".equals(method) && !"HEAD".equals(method) && !"DELETE".equals(method)) {
            request.body(new BytesRequestContent((String) null, new byte[0]));   // Content-Length: 0
        }
        return request;
    }

    /** Jetty's failure in the words the driver reports: the errno text for a connect, the limit for a timeout. */
    private IOException failure(Throwable cause) {
        // Jetty wraps a failed connect in "Could not connect to <path>"; the JDK's errno text is in the cause.
        if (cause instanceof SocketException && cause.getCause() instanceof IOException io
                && String.valueOf(cause.getMessage()).startsWith("Could not connect")) {
            return io;
        }
        if (cause instanceof SocketTimeoutException) {
            return new SocketTimeoutException("connect timed out after " + connectTimeout.toMillis() + " ms");
        }
        if (cause instanceof TimeoutException) {
            SocketTimeoutException timeout = new SocketTimeoutException("no answer: " + cause.getMessage());
            timeout.initCause(cause);
            return timeout;
        }
        return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    }

    /** The engine's client, started on first use; its threads are daemons, as the driver lives as long as the agent. */
    private synchronized HttpClient http() throws IOException {
        if (http == null) {
            QueuedThreadPool threads = new QueuedThreadPool(8, 1);
            threads.setName("docker-engine-client");
            threads.setDaemon(true);
            HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(1));
            client.setExecutor(threads);
            client.setScheduler(new ScheduledExecutorScheduler("docker-engine-client-scheduler", true));
            client.setConnectTimeout(Math.max(1, connectTimeout.toMillis()));
            client.setIdleTimeout(0);
            client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "taskapi-docker-driver"));
            client.setHttpCookieStore(new HttpCookieStore.Empty());
            client.setFollowRedirects(false);
            client.getContentDecoderFactories().clear();
            client.setDefaultRequestContentType(null);
            try {
                client.start();
            } catch (Exception e) {
                throw new IOException("cannot start the engine's HTTP client", e);
            }
            // An answer is the caller's to judge: a 401 without WWW-Authenticate is not a protocol error here.
            client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
            client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
            http = client;
        }
        return http;
    }

    private static void expect(String what, Response response, int... expected)
            throws EngineError {
        for (int status : expected) {
            if (response.status() == status) {
                return;
            }
        }
        throw new EngineError(what, response.status(), message(response));
    }

    /** The engine's {@code {"message": …}}, or the body's start. */
    private static String message(Response response) {
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

    private static JsonNode json(Response response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
