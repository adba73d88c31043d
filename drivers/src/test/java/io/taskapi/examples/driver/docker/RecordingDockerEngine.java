package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fake Docker Engine API on a Unix socket (JDK channels), for testing the docker driver where no engine runs. It
 * records every request and answers the calls the driver makes the way Docker does: {@code /_ping}, create (201
 * {@code {"Id"}}, 404 for an image it lacks, 409 for a name in use), {@code /images/create} (a streamed pull), start
 * (204), wait (200, headers at once and {@code {"StatusCode"}} in a chunk when the container ends), kill (204, 409
 * when not running), logs (the multiplexed stream, chunked), inspect and delete.
 *
 * <p>A container's "process" is a {@link Program} run on its own thread when it starts.
 */
final class RecordingDockerEngine implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A request as the engine received it. */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        Optional<String> query(String name) {
            int query = target.indexOf('?');
            if (query < 0) {
                return Optional.empty();
            }
            for (String pair : target.substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return method + " " + target;
        }
    }

    /** What a container does once started. */
    @FunctionalInterface
    interface Program {
        /** @return the exit code */
        int run(Container container) throws Exception;
    }

    /** A created container. */
    static final class Container {
        final String id;
        final String name;
        final JsonNode spec;
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        volatile boolean started;
        /** When the program last printed a line: the engine's {@code since} filters on it. */
        volatile Instant lastPrint = Instant.EPOCH;

        Container(String id, String name, JsonNode spec) {
            this.id = id;
            this.name = name;
            this.spec = spec;
        }

        /** @return the value of a variable in the container's Env */
        Optional<String> env(String key) {
            for (JsonNode entry : spec.path("Env")) {
                String text = entry.asText();
                if (text.startsWith(key + "=")) {
                    return Optional.of(text.substring(key.length() + 1));
                }
            }
            return Optional.empty();
        }

        /** @return the host path a container path is bind-mounted from, as the engine would resolve it */
        Path hostPath(String containerPath) {
            for (JsonNode bind : spec.path("HostConfig").path("Binds")) {
                String[] parts = bind.asText().split(":");
                if (containerPath.equals(parts[1]) || containerPath.startsWith(parts[1] + "/")) {
                    return Path.of(parts[0] + containerPath.substring(parts[1].length()));
                }
            }
            throw new IllegalStateException(containerPath + " is not bind-mounted in " + spec.path("HostConfig"));
        }

        void print(String line) {
            lastPrint = Instant.now();
            stdout.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Runs until a signal ends it: SIGTERM (unless ignored) gives 143; SIGKILL, which the engine enforces, 137. */
    static Program untilSignalled(boolean ignoreSigterm) {
        return container -> {
            container.print("running");
            while (true) {
                String signal = container.signals.take();
                if ("SIGTERM".equals(signal) && !ignoreSigterm) {
                    return 143;
                }
            }
        };
    }

    private final Path socket;
    private volatile ServerSocketChannel server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final Set<String> missingImages = ConcurrentHashMap.newKeySet();
    private volatile Program program = container -> 0;
    private volatile int failCreateWith;
    private volatile int failStartWith;
    RecordingDockerEngine(Path socket) throws IOException {
        this.socket = requireNonNull(socket, "socket is null");
        listen();
    }

    private void listen() throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        server = channel;
        Thread acceptor = new Thread(() -> acceptLoop(channel), "recording-docker-engine");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Shuts down as dockerd does: first its listener (new connections are refused; the socket file stays), then it
     * stops every running container, whose waits (on connections already open) answer with {@code code}.
     */
    void shutDown(int code) throws IOException {
        server.close();
        containers.values().stream().filter(c -> c.started).forEach(c -> c.exit.complete(code));
    }

    /** Listens again after {@link #shutDown(int)}, keeping its containers, as an engine without live-restore. */
    void startAgain() throws IOException {
        Files.deleteIfExists(socket);
        listen();
    }

    Path socket() {
        return socket;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** @return the method and target of every request, in order */
    List<String> calls() {
        return requests.stream().map(Request::toString).toList();
    }

    Request onlyRequest(String method, String pathPrefix) {
        List<Request> matching = requests.stream()
                .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + method + " " + pathPrefix + " among " + calls());
        }
        return matching.get(0);
    }

    Map<String, Container> containers() {
        return Map.copyOf(containers);
    }

    RecordingDockerEngine program(Program program) {
        this.program = requireNonNull(program, "program is null");
        return this;
    }

    RecordingDockerEngine missingImage(String image) {
        missingImages.add(image);
        return this;
    }

    RecordingDockerEngine failCreateWith(int status) {
        this.failCreateWith = status;
        return this;
    }

    RecordingDockerEngine failStartWith(int status) {
        this.failStartWith = status;
        return this;
    }

    /** Adds a container the way an agent that died would have left it. */
    void leftover(String name) {
        String id = newId();
        containers.put(id, new Container(id, name, JSON.createObjectNode()));
    }

    /**
     * Adds a container started by an agent that has died since: it runs {@code program} now.
     *
     * @return its id
     */
    String startedByADeadAgent(String name, Program program) {
        String id = newId();
        Container container = new Container(id, name, JSON.createObjectNode());
        containers.put(id, container);
        container.started = true;
        run(container, program);
        return id;
    }

    /** @return the container with that id */
    Container container(String id) {
        return Optional.ofNullable(containers.get(id)).orElseThrow(() -> new AssertionError("no container " + id));
    }

    @Override
    public void close() throws IOException {
        server.close();
        containers.values().forEach(c -> c.exit.complete(137));
        Files.deleteIfExists(socket);
    }

    // ---- the server

    private void acceptLoop(ServerSocketChannel server) {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread handler = new Thread(() -> handle(client), "recording-docker-engine-conn");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(SocketChannel client) {
        try (client; InputStream in = Channels.newInputStream(client);
             OutputStream out = Channels.newOutputStream(client)) {
            Request request = readRequest(in);
            requests.add(request);
            route(request, out);
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        String[] requestLine = readLine(in).split(" ");
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        return new Request(requestLine[0], requestLine[1], headers, in.readNBytes(length));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private void route(Request request, OutputStream out) throws IOException {
        String path = request.path();
        String method = request.method();
        if (method.equals("GET") && path.equals("/_ping")) {
            respond(out, 200, "text/plain", "OK");
        } else if (method.equals("GET") && path.equals("/version")) {
            respond(out, 200, "application/json", "{\"Version\":\"27.0.3\",\"ApiVersion\":\"1.47\"}");
        } else if (method.equals("POST") && path.equals("/containers/create")) {
            create(request, out);
        } else if (method.equals("POST") && path.equals("/images/create")) {
            String image = request.query("fromImage").orElse("");
            missingImages.remove(image);
            startChunked(out, 200, "application/json");
            chunk(out, "{\"status\":\"Pulling from " + image + "\"}\r\n");
            chunk(out, "{\"status\":\"Downloaded newer image for " + image + "\"}\r\n");
            chunk(out, "");
        } else if (path.startsWith("/containers/")) {
            String[] parts = path.substring("/containers/".length()).split("/");
            Container container = find(parts[0]);
            if (container == null) {
                respond(out, 404, "application/json", "{\"message\":\"No such container: " + parts[0] + "\"}");
                return;
            }
            String action = parts.length > 1 ? parts[1] : "";
            containerAction(method, action, container, request, out);
        } else {
            respond(out, 404, "application/json", "{\"message\":\"page not found\"}");
        }
    }

    private void create(Request request, OutputStream out) throws IOException {
        JsonNode spec = request.json();
        String image = spec.path("Image").asText();
        String name = request.query("name").orElse("");
        if (failCreateWith != 0) {
            respond(out, failCreateWith, "application/json", "{\"message\":\"create failed on purpose\"}");
        } else if (missingImages.contains(image)) {
            respond(out, 404, "application/json", "{\"message\":\"No such image: " + image + "\"}");
        } else if (containers.values().stream().anyMatch(c -> c.name.equals(name))) {
            respond(out, 409, "application/json", "{\"message\":\"Conflict. The container name \\\"/" + name
                    + "\\\" is already in use\"}");
        } else {
            String id = newId();
            containers.put(id, new Container(id, name, spec));
            respond(out, 201, "application/json", "{\"Id\":\"" + id + "\",\"Warnings\":[]}");
        }
    }

    private void containerAction(String method, String action, Container container, Request request,
                                 OutputStream out) throws IOException {
        switch (method + " " + action) {
            case "POST start" -> {
                if (failStartWith != 0) {
                    respond(out, failStartWith, "application/json", "{\"message\":\"start failed on purpose\"}");
                    return;
                }
                if (!container.started) {
                    container.started = true;
                    run(container, program);
                }
                respond(out, 204, null, null);
            }
            case "POST wait" -> {
                // Docker sends the headers at once and the body when the container stops.
                startChunked(out, 200, "application/json");
                out.flush();
                int code = container.exit.join();
                chunk(out, "{\"Error\":null,\"StatusCode\":" + code + "}\n");
                chunk(out, "");
            }
            case "POST kill" -> {
                if (container.exit.isDone() || !container.started) {
                    respond(out, 409, "application/json", "{\"message\":\"Container " + container.id
                            + " is not running\"}");
                    return;
                }
                String signal = request.query("signal").orElse("SIGKILL");
                container.signals.add(signal);
                if ("SIGKILL".equals(signal)) {
                    container.exit.complete(137);    // the kernel does not ask the program
                }
                respond(out, 204, null, null);
            }
            case "GET logs" -> {
                if (request.query("follow").isPresent() && container.started) {
                    container.exit.join();    // the output as one piece when it ends: enough for a fake
                }
                startChunked(out, 200, "application/vnd.docker.multiplexed-stream");
                Optional<Instant> since = request.query("since").map(RecordingDockerEngine::epochSeconds);
                if (since.isEmpty() || !container.lastPrint.isBefore(since.get())) {
                    // One frame a stream (a real engine sends one a line), with ?timestamps=1 the time in front.
                    boolean stamped = request.query("timestamps").isPresent();
                    frame(out, 1, withPrefix(stamped ? container.lastPrint + " " : "", container.stdout.toByteArray()));
                    // a later message than stdout's, as each line of a real engine has its own time
                    frame(out, 2, withPrefix(stamped ? container.lastPrint.plusNanos(1) + " " : "",
                            container.stderr.toByteArray()));
                }
                chunk(out, "");
            }
            case "GET json" -> respond(out, 200, "application/json", "{\"Id\":\"" + container.id + "\",\"State\":{"
                    + "\"Running\":" + (container.started && !container.exit.isDone()) + ",\"ExitCode\":"
                    + container.exit.getNow(0) + "}}");
            case "DELETE " -> {
                containers.remove(container.id);
                container.exit.complete(137);
                respond(out, 204, null, null);
            }
            default -> respond(out, 404, "application/json", "{\"message\":\"page not found\"}");
        }
    }

    private static void run(Container container, Program program) {
        Thread process = new Thread(() -> {
            try {
                container.exit.complete(program.run(container));
            } catch (Exception e) {
                container.stderr.writeBytes(e.toString().getBytes(StandardCharsets.UTF_8));
                container.exit.complete(1);
            }
        }, "container-" + container.id.substring(0, 12));
        process.setDaemon(true);
        process.start();
    }

    private Container find(String idOrName) {
        Container byId = containers.get(idOrName);
        if (byId != null) {
            return byId;
        }
        return containers.values().stream().filter(c -> c.name.equals(idOrName)).findFirst().orElse(null);
    }

    private static void respond(OutputStream out, int status, String type, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n")
                .append("Api-Version: 1.47\r\nServer: Docker/27.0 (linux)\r\n");
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        if (status != 204) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
    }

    private static void startChunked(OutputStream out, int status, String type) throws IOException {
        out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + type
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        chunk(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void chunk(OutputStream out, byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One frame of Docker's multiplexed stream: stream byte, three zeros, big-endian length, payload. */
    private static void frame(OutputStream out, int stream, byte[] payload) throws IOException {
        if (payload.length == 0) {
            return;
        }
        byte[] frame = new byte[8 + payload.length];
        frame[0] = (byte) stream;
        frame[4] = (byte) (payload.length >>> 24);
        frame[5] = (byte) (payload.length >>> 16);
        frame[6] = (byte) (payload.length >>> 8);
        frame[7] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 8, payload.length);
        chunk(out, frame);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    private static byte[] withPrefix(String prefix, byte[] payload) {
        if (payload.length == 0) {
            return payload;
        }
        byte[] start = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[start.length + payload.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(payload, 0, all, start.length, payload.length);
        return all;
    }

    /** {@code 1700000000.123456789}, as the engine's {@code since} takes it. */
    private static Instant epochSeconds(String text) {
        BigDecimal seconds = new BigDecimal(text);
        return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    private static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
