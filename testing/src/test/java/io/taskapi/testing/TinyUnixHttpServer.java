package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 responder on a JDK UNIX server socket, for testing the client side. Each connection gets a thread
 * that reads requests (Content-Length bodies only) and writes whatever raw bytes the handler returns.
 */
final class TinyUnixHttpServer implements AutoCloseable {
    /** A request as the server read it. */
    record Request(String method, String target, Map<String, List<String>> headers, byte[] body, int connection) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        String bodyText() {
            return new String(body, UTF_8);
        }
    }

    /** Raw response bytes, and whether to close the connection after them. A null reply closes without answering. */
    record Reply(byte[] bytes, boolean close) {
        static Reply raw(String text, boolean close) {
            return new Reply(text.getBytes(UTF_8), close);
        }

        static Reply of(int status, String body, String... headerLines) {
            byte[] bytes = body.getBytes(UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " Status\r\n");
            for (String line : headerLines) {
                head.append(line).append("\r\n");
            }
            head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            return raw(head + body, false);
        }
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Request request) throws Exception;
    }

    private final ServerSocketChannel server;
    private final Path path;
    private final Handler handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    private TinyUnixHttpServer(ServerSocketChannel server, Path path, Handler handler) {
        this.server = server;
        this.path = path;
        this.handler = handler;
        Thread acceptor = new Thread(this::accept, "tiny-http-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Binds at {@code bindPath} (which may go through a symlink) and serves until closed. */
    static TinyUnixHttpServer start(Path bindPath, Handler handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(bindPath));
        return new TinyUnixHttpServer(server, bindPath, handler);
    }

    int connections() {
        return connections.get();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : open) {
            channel.close();
        }
        Files.deleteIfExists(path);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                open.add(channel);
                int number = connections.incrementAndGet();
                Thread thread = new Thread(() -> serve(channel, number), "tiny-http-" + number);
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel channel, int number) {
        try (channel) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            while (true) {
                Request request = read(in, number);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Reply reply = handler.handle(request);
                if (reply == null) {
                    return;
                }
                ByteBuffer buffer = ByteBuffer.wrap(reply.bytes());
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (reply.close() || "close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (Exception e) {
            // the client went away, or the test closed the server
        }
    }

    private static Request read(InputStream in, int number) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim(), key -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        List<String> length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.get(0)));
        return new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, body, number);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return bytes.size() == 0 ? null : new String(bytes.toByteArray(), ISO_8859_1);
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return new String(bytes.toByteArray(), ISO_8859_1);
    }
}
