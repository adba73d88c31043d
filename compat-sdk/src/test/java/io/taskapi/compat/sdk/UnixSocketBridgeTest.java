package io.taskapi.compat.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The test bridge itself: bytes both ways, the end of input passed on, socket paths longer than sun_path. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class UnixSocketBridgeTest {
    @TempDir
    Path dir;

    @Test
    void copiesBothWaysAndPassesOnTheEndOfInput() throws Exception {
        Path socket = dir.resolve("echo.sock");
        ServerSocketChannel server = echoServer(socket);
        try (server; UnixSocketBridge bridge = UnixSocketBridge.open(socket)) {
            assertThat(roundTrip(bridge, "hello through the bridge")).isEqualTo("hello through the bridge");
            assertThat(roundTrip(bridge, "a second connection")).isEqualTo("a second connection");
        }
    }

    @Test
    void reachesASocketWhosePathIsLongerThanSunPath() throws Exception {
        Path socket = dir.resolve("e.sock");
        Path deep = Files.createDirectories(dir.resolve("d".repeat(60)).resolve("e".repeat(60)));
        Path longPath = Files.createSymbolicLink(deep.resolve("api.sock"), socket);
        assertThat(longPath.toString().length()).isGreaterThan(108);
        ServerSocketChannel server = echoServer(socket);
        try (server; UnixSocketBridge bridge = UnixSocketBridge.open(longPath)) {
            assertThat(roundTrip(bridge, "long")).isEqualTo("long");
        }
    }

    /** Sends a message, ends its output, and reads what comes back until the bridge passes on the end. */
    private static String roundTrip(UnixSocketBridge bridge, String message) throws IOException {
        URI address = URI.create(bridge.address());
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(address.getHost(), address.getPort()));
            client.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            InputStream in = client.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A Unix socket server that echoes each connection until its end of input, then closes it. */
    private static ServerSocketChannel echoServer(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel connection = server.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocate(1024);
                    while (connection.read(buffer) >= 0) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            connection.write(buffer);
                        }
                        buffer.clear();
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }
}
