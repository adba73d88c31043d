package io.taskapi.plugin.e2e;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A local attacker, run as its own process (as another user, through setpriv): opens connections to a Unix socket
 * and holds them without sending a byte, then says how many the server kept and how many it refused with a 429.
 * Holds them until its standard input closes. Dependency-free, so it runs from a single class file.
 *
 * <p>Usage: {@code java ConnectionHoarder SOCKET COUNT}
 */
public final class ConnectionHoarder {
    private ConnectionHoarder() {}

    /**
     * @param args the socket path (relative to the working directory works) and how many connections to open
     * @throws Exception when the socket cannot be reached at all
     */
    public static void main(String[] args) throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(args[0]);
        int count = Integer.parseInt(args[1]);
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            channels.add(SocketChannel.open(address));
        }
        // Refusals are written at accept, on the server's selector: count until the answer has been the same for a
        // second, so that a loaded machine that accepts late does not make refused connections look held.
        int held = 0;
        int refused = 0;
        boolean[] answered = new boolean[channels.size()];
        for (SocketChannel channel : channels) {
            channel.configureBlocking(false);
        }
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < 1_000_000_000L) {
            Thread.sleep(100);
            for (int i = 0; i < channels.size(); i++) {
                if (answered[i]) {
                    continue;
                }
                ByteBuffer answer = ByteBuffer.allocate(64);
                int read = channels.get(i).read(answer);
                if (read != 0) {
                    answered[i] = true;
                    if (new String(answer.array(), 0, Math.max(read, 0), StandardCharsets.US_ASCII)
                            .startsWith("HTTP/1.1 429")) {
                        refused++;
                    }
                    stableSince = System.nanoTime();
                }
            }
        }
        for (boolean a : answered) {
            held += a ? 0 : 1;
        }
        System.out.println("held=" + held + " refused=" + refused);
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the test closes our input
        }
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
        }
    }
}
