package io.taskapi.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 exchange over a Unix domain socket ({@code NOMAD_ADDR=unix://…}), with the JDK's own channels: what
 * a task needs to call its {@code ${NOMAD_SECRETS_DIR}/api.sock}. One request per connection
 * ({@code Connection: close}); chunked and length-delimited answers are both read.
 */
final class UnixHttp {
    /** Linux's {@code sun_path} holds 108 bytes with the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;

    private UnixHttp() {}

    /**
     * @param socket the socket file
     * @param method the method
     * @param target the path and query
     * @param headers request headers (the token among them: never logged)
     * @param body the body, possibly empty
     * @param timeout how long the whole exchange may take
     * @return the status and body
     * @throws IOException when the socket cannot be reached or the answer is not HTTP
     */
    static ApiClient.Response exchange(Path socket, String method, String target, Map<String, String> headers,
                                       byte[] body, Duration timeout) throws IOException {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("socket path is longer than " + MAX_PATH_BYTES + " bytes: " + socket);
        }
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: localhost\r\nConnection: close\r\nUser-Agent: taskapi-cli\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body.length > 0 || !method.equals("GET")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "taskapi-unix-timeout");
            t.setDaemon(true);
            return t;
        });
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            // Blocking channels have no read timeout: closing the channel is what ends a stuck exchange.
            ScheduledFuture<?> timer = watchdog.schedule(() -> {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            channel.connect(UnixDomainSocketAddress.of(socket));
            write(channel, head.toString().getBytes(StandardCharsets.ISO_8859_1));
            write(channel, body);
            byte[] raw = Channels.newInputStream(channel).readAllBytes();
            timer.cancel(false);
            return parse(raw);
        } finally {
            watchdog.shutdownNow();
            channel.close();
        }
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static ApiClient.Response parse(byte[] raw) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("the answer is not HTTP (no header end)");
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("the answer is not HTTP: " + lines[0]);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = dechunk(rest);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            body = java.util.Arrays.copyOf(rest, Math.min(length, rest.length));
        } else {
            body = rest;
        }
        return new ApiClient.Response(Integer.parseInt(status[1]), body, headers);
    }

    private static byte[] dechunk(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(data);
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("truncated chunked answer");
            }
            out.write(chunk);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c < 0 && line.length() == 0) {
            throw new IOException("truncated chunked answer");
        }
        return line.toString();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
