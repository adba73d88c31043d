package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;

/**
 * An HTTP/1.1 client for a Unix domain socket: a thin, test-friendly front on Jetty's {@code HttpClient} (one shared
 * instance, see {@link SharedJettyClient}) with a {@code Transport.TCPUnix} transport per request.
 *
 * <pre>{@code
 * UnixHttpClient client = UnixHttpClient.at(secretsDir.resolve("api.sock"));
 * HttpResponse response = client.get("/v1/client/metadata").token(secret).send();
 * assertThat(response.status()).isEqualTo(200);
 * assertThat(response.json().path("Dynamic").isObject()).isTrue();
 * }</pre>
 *
 * <p>Each {@link Request#send()} opens a fresh connection and sends {@code Connection: close}; use
 * {@link #connection()} to send several requests over one kept-alive connection. Responses may be delimited by
 * {@code Content-Length}, by chunked transfer coding or by the server closing the connection. Every exchange has a
 * timeout ({@link #DEFAULT_TIMEOUT} unless set with {@link #timeout(Duration)}): past it the connection is closed and
 * {@link SocketTimeoutException} thrown.
 *
 * <p><b>Long paths.</b> A Unix socket address holds at most {@value #MAX_PATH_BYTES} path bytes on Linux, and the JDK
 * refuses longer ones ("Unix domain path too long"). {@link #viaShortLink(Path)} connects through a symlink to the
 * socket's directory in a short private temporary directory instead, and {@link #close()} removes it. A
 * junixsocket server keeps working when a client comes in through another symlink (only the server's own bind name
 * must stay in place). {@link #forSocket(Path)} picks whichever the path needs.
 *
 * <p>A connection that fails throws {@link ConnectException} whose message ends with the system's error text,
 * for example {@code Permission denied}, {@code Connection refused} or {@code No such file or directory}.
 *
 * <p>Thread-safe: concurrent requests each use their own connection.
 */
public final class UnixHttpClient implements AutoCloseable {
    /** The longest socket path, in bytes, that a Linux {@code sockaddr_un} holds (108 with the NUL). */
    public static final int MAX_PATH_BYTES = 107;
    /** How long one exchange may take unless {@link #timeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;
    private final Path connectPath;
    private final Path linkDir;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Duration timeout = DEFAULT_TIMEOUT;

    private UnixHttpClient(Path socket, Path connectPath, Path linkDir) {
        this.socket = socket;
        this.connectPath = connectPath;
        this.linkDir = linkDir;
    }

    /**
     * A client that connects to the socket path as given. A path longer than {@value #MAX_PATH_BYTES} bytes fails at
     * connect time; see {@link #viaShortLink(Path)}.
     *
     * @param socket the socket file
     * @return the client; closing it does nothing
     */
    public static UnixHttpClient at(Path socket) {
        requireNonNull(socket, "socket is null");
        return new UnixHttpClient(socket, socket, null);
    }

    /**
     * A client that reaches a socket through a symlink to its directory, made in a short private temporary directory
     * ({@code /tmp/uhc-…}), so that a socket path of any length can be used. {@link #close()} removes the link.
     *
     * @param socket the socket file, any length
     * @return the client; close it to remove the link
     * @throws IOException when the link cannot be made
     */
    public static UnixHttpClient viaShortLink(Path socket) throws IOException {
        requireNonNull(socket, "socket is null");
        Path absolute = socket.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("not a socket path: " + socket);
        }
        Path tmp = Path.of("/tmp");
        Path base = Files.isDirectory(tmp) ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
        // createTempDirectory makes it 0700: nobody else can swap the link while we use it.
        Path linkDir = Files.createTempDirectory(base, "uhc-");
        try {
            Path link = Files.createSymbolicLink(linkDir.resolve("s"), parent);
            return new UnixHttpClient(socket, link.resolve(absolute.getFileName()), linkDir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(linkDir);
            throw e;
        }
    }

    /**
     * @param socket the socket file, any length
     * @return {@link #at} when the path fits in a socket address, {@link #viaShortLink} otherwise
     * @throws IOException when a needed link cannot be made
     */
    public static UnixHttpClient forSocket(Path socket) throws IOException {
        requireNonNull(socket, "socket is null");
        return fits(socket) ? at(socket) : viaShortLink(socket);
    }

    /**
     * @param socket a socket path
     * @return whether the JDK can connect to it directly (at most {@value #MAX_PATH_BYTES} bytes)
     */
    public static boolean fits(Path socket) {
        return socket.toString().getBytes(UTF_8).length <= MAX_PATH_BYTES;
    }

    /**
     * @param timeout the longest one exchange (connect, send, read the response) may take from now on
     * @return this client
     */
    public UnixHttpClient timeout(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** @return the socket this client reaches */
    public Path socket() {
        return socket;
    }

    /** @return the path actually connected: the socket itself, or its name through the short link */
    public Path connectPath() {
        return connectPath;
    }

    /**
     * Starts a request sent on its own connection.
     *
     * @param method the method, for example {@code "GET"}
     * @param target the request target, for example {@code "/v1/var/nomad/jobs?namespace=default"}
     * @return the request to fill in and send
     */
    public Request request(String method, String target) {
        return new Request(this, null, method, target);
    }

    /**
     * @param target the request target
     * @return a GET request
     */
    public Request get(String target) {
        return request("GET", target);
    }

    /**
     * Opens a connection for several requests (keep-alive).
     *
     * @return the open connection; close it when done
     * @throws IOException when it cannot connect
     */
    public Connection connection() throws IOException {
        checkUsable();
        Request probe = new Request(this, null, "GET", "/");
        try {
            org.eclipse.jetty.client.Destination destination = SharedJettyClient.get().resolveDestination(
                    probe.toJetty(false));
            return new Connection(this, destination.newConnection().get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            throw failure(e.getCause(), false);
        } catch (TimeoutException e) {
            throw timedOut(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + where());
        }
    }

    /**
     * Opens a bare connected channel, for tests that misbehave on purpose: send half a request, hold connections
     * open, send bytes that are not HTTP.
     *
     * @return the connected channel, blocking mode; the caller closes it
     * @throws IOException when it cannot connect
     */
    public SocketChannel openChannel() throws IOException {
        return connect();
    }

    /**
     * Sends bytes as they are on a fresh connection and reads one response, for requests this client would not make
     * (malformed lines, huge headers, duplicate headers).
     *
     * @param rawRequest the exact bytes to send
     * @return the response
     * @throws IOException when it cannot connect, the server closes without a response, or the timeout passes
     */
    public HttpResponse exchangeRaw(byte[] rawRequest) throws IOException {
        requireNonNull(rawRequest, "rawRequest is null");
        try (SocketChannel channel = connect()) {
            return HttpWire.exchange(channel, rawRequest, timeout, socket);
        }
    }

    /** Removes the short link, if this client made one. Idempotent; the client must not be used after. */
    @Override
    public void close() {
        if (linkDir != null && closed.compareAndSet(false, true)) {
            try {
                Files.deleteIfExists(connectPath.getParent());
                Files.deleteIfExists(linkDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the short link " + linkDir, e);
            }
        }
    }

    @Override
    public String toString() {
        return "UnixHttpClient[" + socket + (linkDir == null ? "" : " via " + connectPath) + "]";
    }

    private String where() {
        return socket.equals(connectPath) ? socket.toString() : socket + " (through " + connectPath + ")";
    }

    /** Fails early, as the old client did, on a closed client or a path no socket address can hold. */
    private void checkUsable() throws ConnectException {
        if (closed.get()) {
            throw new IllegalStateException("this client is closed: " + this);
        }
        if (!fits(connectPath)) {
            throw new ConnectException("cannot connect to " + where() + ": the path is "
                    + connectPath.toString().getBytes(UTF_8).length + " bytes, longer than the " + MAX_PATH_BYTES
                    + " a Unix socket address holds; use UnixHttpClient.viaShortLink or forSocket");
        }
    }

    private SocketChannel connect() throws IOException {
        checkUsable();
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(connectPath));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw connectFailed(e);
        }
    }

    /** The JDK's message is the errno text ("Connection refused", "Permission denied"): keep it last. */
    private ConnectException connectFailed(Throwable cause) {
        ConnectException failure = new ConnectException("cannot connect to " + where() + ": " + cause.getMessage());
        failure.initCause(cause);
        return failure;
    }

    private SocketTimeoutException timedOut(Throwable cause) {
        SocketTimeoutException failure = new SocketTimeoutException("no complete response from " + socket
                + " within " + timeout);
        failure.initCause(cause);
        return failure;
    }

    /**
     * What Jetty failed with, as the {@link IOException} a caller of a blocking client expects.
     *
     * @param responseBegan whether a status line had arrived, to tell "no response" from "half a response"
     */
    private IOException failure(Throwable cause, boolean responseBegan) {
        if (cause instanceof TimeoutException) {
            return timedOut(cause);
        }
        // Jetty says "Could not connect to <path>" and keeps the JDK's errno text in the cause.
        if (cause instanceof java.net.SocketException && cause.getCause() != null
                && String.valueOf(cause.getMessage()).startsWith("Could not connect")) {
            return connectFailed(cause.getCause());
        }
        // The JDK reports EACCES on a Unix socket's connect as a BindException ("Permission denied").
        if (cause instanceof ConnectException || cause instanceof java.net.BindException) {
            return connectFailed(cause);
        }
        if (cause instanceof EOFException || cause instanceof ClosedChannelException) {
            EOFException eof = new EOFException(responseBegan
                    ? "the server closed the connection to " + socket + " in the middle of a response: "
                            + cause.getMessage()
                    : "the server closed the connection to " + socket + " without a response");
            eof.initCause(cause);
            return eof;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException("request to " + socket + " failed: " + cause, cause);
    }

    /**
     * One request: headers, body, then {@link #send()}. Not thread-safe; build one per request.
     */
    public static final class Request {
        private final UnixHttpClient client;
        private final Connection connection;
        private final String method;
        private final String target;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];

        private Request(UnixHttpClient client, Connection connection, String method, String target) {
            this.client = client;
            this.connection = connection;
            this.method = requireToken(method, "method");
            this.target = requireNoLineBreak(requireNonNull(target, "target is null"), "target");
        }

        /**
         * Adds a header field; calling it twice with one name sends the field twice. {@code Host} and
         * {@code Connection} replace the ones the client would add.
         *
         * @param name the field name
         * @param value the value
         * @return this request
         */
        public Request header(String name, String value) {
            headers.add(new String[] {requireToken(name, "header name"),
                    requireNoLineBreak(requireNonNull(value, "value is null"), "header value")});
            return this;
        }

        /**
         * @param token an ACL secret or a workload identity
         * @return this request, with {@code X-Nomad-Token: <token>}
         */
        public Request token(String token) {
            return header("X-Nomad-Token", requireNonNull(token, "token is null"));
        }

        /**
         * @param token an ACL secret or a workload identity
         * @return this request, with {@code Authorization: Bearer <token>}
         */
        public Request bearer(String token) {
            return header("Authorization", "Bearer " + requireNonNull(token, "token is null"));
        }

        /**
         * @param body the body, sent as UTF-8 with a {@code Content-Length}
         * @return this request
         */
        public Request body(String body) {
            return body(requireNonNull(body, "body is null").getBytes(UTF_8));
        }

        /**
         * @param body the body, sent with a {@code Content-Length}
         * @return this request
         */
        public Request body(byte[] body) {
            this.body = requireNonNull(body, "body is null").clone();
            return this;
        }

        /**
         * @param json a JSON document
         * @return this request, with the body and {@code Content-Type: application/json}
         */
        public Request json(String json) {
            return body(json).header("Content-Type", "application/json");
        }

        /**
         * Sends the request and reads the response.
         *
         * @return the response
         * @throws IOException when the connection fails, the server closes without a full response, or the timeout
         *     passes
         */
        public HttpResponse send() throws IOException {
            client.checkUsable();
            org.eclipse.jetty.client.Request jetty = toJetty(connection == null);
            AtomicBoolean began = new AtomicBoolean();
            jetty.onResponseBegin(response -> began.set(true));
            CompletableResponseListener listener = new CompletableResponseListener(jetty, HttpWire.MAX_BODY);
            CompletableFuture<ContentResponse> future = connection == null ? listener.send()
                    : listener.send(connection.jetty());
            try {
                return SharedJettyClient.toResponse(future.get());
            } catch (ExecutionException e) {
                throw client.failure(e.getCause(), began.get());
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + client.socket);
            }
        }

        private org.eclipse.jetty.client.Request toJetty(boolean close) {
            return SharedJettyClient.newRequest(client.connectPath, method, target, headers, body, close,
                    client.timeout);
        }

        private static String requireToken(String value, String what) {
            requireNonNull(value, what + " is null");
            if (value.isEmpty() || !value.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new IllegalArgumentException(what + " must be printable ASCII without spaces: " + value);
            }
            return value;
        }

        private static String requireNoLineBreak(String value, String what) {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(what + " must not contain CR or LF; use exchangeRaw");
            }
            return value;
        }
    }

    /**
     * A kept-alive connection for several requests in turn. Requests on it are sent one at a time. Once the server
     * closes it (or answers with {@code Connection: close}) further requests fail with {@link IOException}.
     */
    public static final class Connection implements AutoCloseable {
        private final UnixHttpClient client;
        private final org.eclipse.jetty.client.Connection jetty;

        private Connection(UnixHttpClient client, org.eclipse.jetty.client.Connection jetty) {
            this.client = client;
            this.jetty = jetty;
        }

        /**
         * @param method the method
         * @param target the request target
         * @return a request sent on this connection
         */
        public Request request(String method, String target) {
            return new Request(client, this, method, target);
        }

        /**
         * @param target the request target
         * @return a GET request sent on this connection
         */
        public Request get(String target) {
            return request("GET", target);
        }

        /** @return whether another request can be sent */
        public boolean isOpen() {
            return !jetty.isClosed();
        }

        org.eclipse.jetty.client.Connection jetty() throws IOException {
            if (jetty.isClosed()) {
                throw new IOException("the connection to " + client.socket + " is closed");
            }
            return jetty;
        }

        @Override
        public void close() {
            jetty.close();
        }
    }
}
