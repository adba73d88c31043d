package io.taskapi.examples.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange ({@code Connection: close}) over a TCP or Unix domain socket, on the JDK's
 * {@link SocketChannel}: {@code http://} and {@code unix://} addresses (a task's
 * {@code ${NOMAD_SECRETS_DIR}/api.sock}).
 * A CLI call makes one request or a few; an HTTP client library costs it more start-up (the JDK's sets up TLS even
 * for plain HTTP, Jetty's starts thread pools) than the exchange itself.
 */
final class Http1 {
    /** Linux's {@code sun_path} holds 108 bytes with the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final SocketAddress address;
    private final String host;

    private Http1(SocketAddress address, String host) {
        this.address = address;
        this.host = host;
    }

    /**
     * @param socket the socket file
     * @return a client for it
     */
    static Http1 unix(Path socket) {
        return new Http1(UnixDomainSocketAddress.of(socket), "localhost");
    }

    /**
     * @param host the host name or address
     * @param port the port
     * @return a client for it
     */
    static Http1 tcp(String host, int port) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new Http1(InetSocketAddress.createUnresolved(bare, port), host + ":" + port);
    }

    /**
     * @param method the method
     * @param target the path and query
     * @param headers request headers (the token among them: never logged)
     * @param body the body, possibly empty
     * @param timeout how long the whole exchange may take
     * @return the status, headers and body
     * @throws IOException when the socket cannot be reached (the message is the system's, for example
     *     {@code No such file or directory}), the exchange takes longer than the timeout, or the answer is not HTTP
     */
    ApiClient.Response exchange(String method, String target, Map<String, String> headers, byte[] body,
                                Duration timeout) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix
                && unix.getPath().toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("socket path is longer than " + MAX_PATH_BYTES + " bytes: " + unix.getPath());
        }
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            // A blocking channel has no read timeout: a daemon thread closes it when the time is up.
            Thread watchdog = new Thread(() -> closeAfter(channel, timeout), "taskapi-cli-timeout");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                channel.connect(address instanceof InetSocketAddress inet && inet.isUnresolved()
                        ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : address);
                OutputStream out = Channels.newOutputStream(channel);
                out.write(head(method, target, headers, body.length));
                out.write(body);
                out.flush();
                return read(new BufferedInputStream(Channels.newInputStream(channel)), method);
            } catch (IOException e) {
                if (!watchdog.isAlive()) {
                    throw new IOException("no answer in " + timeout.toSeconds() + "s", e);
                }
                throw e;
            } finally {
                watchdog.interrupt();
            }
        }
    }

    private static void closeAfter(SocketChannel channel, Duration timeout) {
        try {
            Thread.sleep(timeout.toMillis());
            channel.close();
        } catch (InterruptedException | IOException e) {
            // done in time, or closed already
        }
    }

    private byte[] head(String method, String target, Map<String, String> headers, int length) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("User-Agent: taskapi-cli\r\n")
                .append("Connection: close\r\n");
        if (length > 0 || !method.equals("GET")) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ApiClient.Response read(InputStream in, String method) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not an HTTP header: " + line);
            }
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + "," + b);
        }
        byte[] body;
        if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = exactly(in, length(headers.get("content-length")));
        } else {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new IOException("answer larger than " + MAX_BODY_BYTES + " bytes");
            }
        }
        return new ApiClient.Response(status, body, headers);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int extension = size.indexOf(';');
            int length = length(Long.toString(parseHex(extension < 0 ? size : size.substring(0, extension))));
            if (length == 0) {
                while (!line(in).isEmpty()) {
                    // trailers: none used
                }
                return body.toByteArray();
            }
            if (body.size() + length > MAX_BODY_BYTES) {
                throw new IOException("answer larger than " + MAX_BODY_BYTES + " bytes");
            }
            body.write(exactly(in, length));
            if (!line(in).isEmpty()) {
                throw new IOException("malformed chunked answer");
            }
        }
    }

    private static long parseHex(String text) throws IOException {
        try {
            return Long.parseLong(text.trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size: " + text, e);
        }
    }

    private static int length(String text) throws IOException {
        try {
            long length = Long.parseLong(text.trim());
            if (length < 0 || length > MAX_BODY_BYTES) {
                throw new IOException("answer larger than " + MAX_BODY_BYTES + " bytes");
            }
            return (int) length;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + text, e);
        }
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the answer ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    /** A header line without its CRLF (or LF). */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed before the answer's head ended");
            }
            if (line.size() >= MAX_HEAD_BYTES) {
                throw new IOException("answer head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
