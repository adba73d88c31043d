package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 exchange over a Unix socket with the JDK's own channels: the Docker Engine API needs nothing more.
 * Every request says {@code Connection: close}, so a connection carries exactly one exchange.
 *
 * <p>Nothing blocks without a bound unless asked: the connect waits at most the connect timeout (a listener whose
 * backlog is full would otherwise hang it), and each read waits at most the idle timeout ({@link Duration#ZERO} means
 * no limit, for {@code /containers/{id}/wait}); {@link #close()} from another thread ends a read that waits.
 *
 * <p>Thread-safe as far as {@link #close()} goes; one thread sends.
 */
final class UnixHttpConnection implements Closeable {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final long MAX_BODY_BYTES = 256L * 1024 * 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private volatile boolean closed;

    /** An HTTP response. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private UnixHttpConnection(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * @param socket the server's socket
     * @param connectTimeout how long the connect may take
     * @return a connected connection
     * @throws IOException when the socket is missing, refuses, or does not accept in time
     */
    static UnixHttpConnection open(Path socket, Duration connectTimeout) throws IOException {
        requireNonNull(socket, "socket is null");
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(Math.max(1, connectTimeout.toMillis())) == 0) {
                    throw new SocketTimeoutException("connect timed out after " + connectTimeout.toMillis() + " ms");
                }
                channel.finishConnect();
                selector.selectedKeys().clear();
            }
            return new UnixHttpConnection(channel, selector);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /**
     * Sends one request and reads the whole response.
     *
     * @param method the method
     * @param target the path and query, already encoded
     * @param contentType the body's type, or {@code null} without a body
     * @param body the body, or {@code null}
     * @param idleTimeout how long any single wait for the server may take; {@link Duration#ZERO}: no limit
     * @return the response
     * @throws IOException on a connection failure, a timeout or a malformed response
     */
    Response exchange(String method, String target, String contentType, byte[] body, Duration idleTimeout)
            throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: docker\r\n")
                .append("User-Agent: taskapi-docker-driver\r\n")
                .append("Connection: close\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        } else if (!"GET".equals(method) && !"HEAD".equals(method) && !"DELETE".equals(method)) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.US_ASCII)), idleTimeout);
        if (body != null) {
            write(ByteBuffer.wrap(body), idleTimeout);
        }
        return read(new ChannelInput(idleTimeout));
    }

    private void write(ByteBuffer buffer, Duration idleTimeout) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE, idleTimeout);
            }
        }
    }

    /** Waits until the channel is ready for {@code op}, at most {@code timeout} (zero: no limit). */
    private void await(int op, Duration timeout) throws IOException {
        if (closed) {
            throw new AsynchronousCloseException();
        }
        SelectionKey key = channel.register(selector, op);
        int ready = selector.select(timeout.isZero() ? 0 : Math.max(1, timeout.toMillis()));
        selector.selectedKeys().clear();
        key.interestOps(0);
        if (closed) {
            throw new AsynchronousCloseException();
        }
        if (ready == 0 && !timeout.isZero()) {
            throw new SocketTimeoutException("no answer within " + timeout.toMillis() + " ms");
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + abbreviate(statusLine), e);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int headerBytes = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("response headers too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + abbreviate(line));
            }
            headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        byte[] body;
        String transferEncoding = headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT);
        if (status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (transferEncoding.contains("chunked")) {
            body = readChunked(in);
        } else if (headers.containsKey("Content-Length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("Content-Length"));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length", e);
            }
            if (length < 0 || length > MAX_BODY_BYTES) {
                throw new IOException("Content-Length out of range: " + length);
            }
            body = readExactly(in, (int) length);
        } else {
            body = readToEnd(in);
        }
        return new Response(status, headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(sizeLine), e);
            }
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers: ignored
                }
                return out.toByteArray();
            }
            if (size < 0 || out.size() + size > MAX_BODY_BYTES) {
                throw new IOException("response body too large");
            }
            out.write(readExactly(in, (int) size));
            if (!readLine(in).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (out.size() + n > MAX_BODY_BYTES) {
                throw new IOException("response body too large");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads a CRLF- (or LF-) terminated line as ISO-8859-1. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(line.length() == 0 ? "connection closed without a response"
                        : "connection closed in the middle of a line");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_HEADER_BYTES) {
                throw new IOException("line too long");
            }
            line.append((char) b);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }

    /** The channel as a buffered stream whose reads wait at most the idle timeout. */
    private final class ChannelInput extends InputStream {
        private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();
        private final Duration idleTimeout;
        private boolean eof;

        ChannelInput(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(bytes, offset, n);
            return n;
        }

        private boolean fill() throws IOException {
            while (!buffer.hasRemaining()) {
                if (eof) {
                    return false;
                }
                buffer.clear();
                int n = channel.read(buffer);
                buffer.flip();
                if (n < 0) {
                    eof = true;
                    return false;
                }
                if (n == 0) {
                    await(SelectionKey.OP_READ, idleTimeout);
                }
            }
            return true;
        }
    }
}
