package io.taskapi.compat.sdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP port in front of a task socket, because HashiCorp's Java SDK speaks TCP only: every accepted
 * connection gets its own connection to the Unix socket, and bytes are copied both ways until either side ends. It
 * interprets nothing (no HTTP), so what the SDK sees is exactly what the task socket answers. Its connections come
 * from this JVM's user, which the task socket must serve (a task without a {@code user} has a {@code 0666} socket).
 */
final class UnixSocketBridge implements AutoCloseable {
    /** sun_path holds 108 bytes with its NUL; longer paths are reached through a short symlink. */
    private static final int MAX_SOCKET_PATH_BYTES = 100;

    private final UnixDomainSocketAddress target;
    private final ServerSocketChannel listener;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Path shortLink; // null unless the socket's own path is too long
    private final Thread acceptor;

    private UnixSocketBridge(UnixDomainSocketAddress target, ServerSocketChannel listener, Path shortLink) {
        this.target = target;
        this.listener = listener;
        this.shortLink = shortLink;
        this.acceptor = new Thread(this::acceptLoop, "bridge-accept-" + listener.socket().getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * @param socket the task socket
     * @return a bridge listening on a free loopback port
     * @throws IOException when it cannot listen
     */
    static UnixSocketBridge open(Path socket) throws IOException {
        Path shortLink = null;
        Path reachable = socket;
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            shortLink = Files.createTempDirectory("sb").resolve("s");
            Files.createSymbolicLink(shortLink, socket);
            reachable = shortLink;
        }
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        UnixSocketBridge bridge = new UnixSocketBridge(UnixDomainSocketAddress.of(reachable), listener, shortLink);
        bridge.acceptor.start();
        return bridge;
    }

    /**
     * The bridge as its own process, to be run as a task's user (setpriv) where only that user may connect: prints its
     * address on a line, then bridges until its standard input ends.
     *
     * @param args the task socket
     * @throws IOException when it cannot listen, or its input fails
     */
    public static void main(String[] args) throws IOException {
        try (UnixSocketBridge bridge = open(Path.of(args[0]))) {
            System.out.println(bridge.address());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing is expected on stdin: its end is the signal to stop
            }
        }
    }

    /** @return {@code http://127.0.0.1:PORT}, for the SDK's configuration */
    String address() {
        return "http://127.0.0.1:" + listener.socket().getLocalPort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (SocketChannel channel : open) {
            channel.close();
        }
        if (shortLink != null) {
            Files.deleteIfExists(shortLink);
            Files.deleteIfExists(shortLink.getParent());
        }
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            SocketChannel task;
            try {
                task = SocketChannel.open(StandardProtocolFamily.UNIX);
                task.connect(target);
            } catch (IOException e) {
                closeQuietly(client); // the SDK sees a reset connection, as it would with the socket gone
                continue;
            }
            open.add(task);
            AtomicInteger directionsLeft = new AtomicInteger(2);
            copyInBackground(client, task, directionsLeft, "to-task");
            copyInBackground(task, client, directionsLeft, "to-client");
        }
    }

    /**
     * One direction of a connection. At the end of its input the other side's output is shut, so that side sees the
     * end too (HTTP clients may half-close); the connection is closed when both directions ended, or at once on an
     * error.
     */
    private void copyInBackground(SocketChannel from, SocketChannel to, AtomicInteger directionsLeft,
            String direction) {
        Thread copier = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            boolean clean = false;
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
                clean = true;
            } catch (IOException e) {
                // reset, or closed by the other direction or by close()
            }
            if (!clean || directionsLeft.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "bridge-" + direction);
        copier.setDaemon(true);
        copier.start();
    }

    private void closeQuietly(SocketChannel channel) {
        open.remove(channel);
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
