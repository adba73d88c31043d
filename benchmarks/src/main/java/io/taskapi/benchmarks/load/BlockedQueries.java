package io.taskapi.benchmarks.load;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.benchmarks.server.BenchCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parks blocking queries on the benchmark server ({@code benchmarks/run blocked}): opens {@code --count} connections
 * to the task socket, sends each {@code GET /v1/nodes?index=<current>&wait=10m}, and waits until the server's
 * {@code taskapi.blocked_queries} gauge shows them all; then prints {@code blocked: count=N} and holds them until
 * its standard input closes (the script reads the server's memory line meanwhile), then closes them.
 *
 * <p>{@code BlockedQueries --socket PATH --credentials DIR [--count 10000]}
 */
public final class BlockedQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BlockedQueries() {}

    /**
     * @param args the flags above
     * @throws Exception when the server cannot be reached or answers otherwise than expected
     */
    public static void main(String[] args) throws Exception {
        Path socket = null;
        Path credentials = null;
        int count = 10_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[i + 1]);
                case "--credentials" -> credentials = Path.of(args[i + 1]);
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (socket == null || credentials == null) {
            throw new IllegalArgumentException("usage: BlockedQueries --socket PATH --credentials DIR [--count N]");
        }
        String acl = Files.readString(credentials.resolve(BenchCredentials.ACL_FILE)).trim();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);

        String first = exchange(address, request("/v1/nodes", acl));
        long index = Long.parseLong(header(first, "X-Nomad-Index"));
        byte[] blocking = request("/v1/nodes?index=" + index + "&wait=10m", acl).getBytes(UTF_8);

        List<SocketChannel> channels = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channels.add(channel);
                channel.connect(address);
                ByteBuffer buffer = ByteBuffer.wrap(blocking);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            long blocked = 0;
            for (int attempt = 0; attempt < 6000 && blocked < count; attempt++) {
                blocked = gauge(exchange(address, request("/v1/metrics", acl)));
                if (blocked < count) {
                    Thread.sleep(100);
                }
            }
            System.out.println("blocked: count=" + blocked + " of=" + count + " index=" + index);
            System.out.flush();
            // Held until the caller closes our standard input.
            byte[] ignored = System.in.readAllBytes();
            System.out.println("released: bytes_read=" + ignored.length);
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }

    private static String request(String target, String acl) {
        return "GET " + target + " HTTP/1.1\r\nHost: task\r\nX-Nomad-Token: " + acl + "\r\nConnection: close\r\n\r\n";
    }

    private static String exchange(UnixDomainSocketAddress address, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(address);
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            while (channel.read(in) >= 0) {
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
            return answer.toString(ISO_8859_1);
        }
    }

    private static String header(String response, String name) {
        for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new IllegalStateException("no " + name + " in the answer: " + response.lines().findFirst().orElse(""));
    }

    private static long gauge(String response) throws IOException {
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        if (response.contains("Transfer-Encoding: chunked")) {
            body = body.substring(body.indexOf("\r\n") + 2);
        }
        JsonNode metrics = JSON.readTree(body);
        for (JsonNode gauge : metrics.path("Gauges")) {
            if (gauge.path("Name").asText().equals("taskapi.blocked_queries")) {
                return gauge.path("Value").asLong();
            }
        }
        throw new IllegalStateException("the server has no taskapi.blocked_queries gauge");
    }
}
