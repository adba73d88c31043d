package io.taskapi.benchmarks.soak;

import static java.util.Objects.requireNonNull;

import io.taskapi.benchmarks.load.ResponseParser;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client that trickles its request: one byte of it every {@code interval}, then waits for the answer, and again on
 * the same connection (a new one if the server closed it). {@link Kind#HEAD} trickles the request head (no token, so
 * the answer is 401); {@link Kind#BODY} sends the head at once and trickles the body of an authorized POST (200).
 */
final class SlowClient implements Runnable {
    /** Which part of the request is slow. */
    enum Kind { HEAD, BODY }

    private final Kind kind;
    private final UnixDomainSocketAddress address;
    private final byte[] head;
    private final byte[] body;
    private final long intervalMillis;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private volatile SocketChannel channel;
    private volatile boolean stopped;

    SlowClient(Kind kind, Path socket, String aclSecret, Duration interval) {
        this.kind = requireNonNull(kind, "kind is null");
        this.address = UnixDomainSocketAddress.of(socket);
        this.intervalMillis = interval.toMillis();
        if (kind == Kind.HEAD) {
            head = ascii("GET /v1/client/metadata HTTP/1.1\r\nHost: localhost\r\n\r\n");
            body = new byte[0];
        } else {
            body = ascii("{\"Meta\":{\"bench.key\":\"v\"}}");
            head = ascii("POST /v1/client/metadata HTTP/1.1\r\nHost: localhost\r\nX-Nomad-Token: " + aclSecret
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n");
        }
    }

    @Override
    public void run() {
        ResponseParser parser = new ResponseParser();
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        while (!stopped) {
            try {
                if (channel == null || !channel.isOpen()) {
                    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(address);
                    parser.reset();
                }
                if (!send()) {
                    // The server cut the request off (a head or body deadline, a minimum rate): what it said, if
                    // anything, is still there to read.
                    String outcome = answerAfterCutOff(parser, in);
                    if (!stopped) {
                        count(outcome);
                    }
                    closeQuietly();
                    continue;
                }
                int status = readResponse(parser, in);
                count(status < 0 ? "closed-by-server" : Integer.toString(status));
                if (status < 0 || parser.closeAfter()) {
                    channel.close();
                }
            } catch (ClosedChannelException e) {
                if (!stopped) {
                    count("closed-by-server");
                }
            } catch (IOException | ResponseParser.ProtocolException e) {
                if (!stopped) {
                    count("error: " + e.getClass().getSimpleName());
                    closeQuietly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the client and closes its connection (which ends a blocked read). */
    void stop() {
        stopped = true;
        closeQuietly();
    }

    /** @return what each request ended in: a status code, {@code closed-by-server}, or an error */
    synchronized Map<String, Long> outcomes() {
        return new TreeMap<>(outcomes);
    }

    /** @return which part of the request it trickles */
    Kind kind() {
        return kind;
    }

    /** @return whether the whole request was written; false when the server closed the connection meanwhile */
    private boolean send() throws InterruptedException {
        try {
            if (kind == Kind.HEAD) {
                trickle(head);
            } else {
                channel.write(ByteBuffer.wrap(head));
                trickle(body);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String answerAfterCutOff(ResponseParser parser, ByteBuffer in) {
        try {
            int status = readResponse(parser, in);
            return status < 0 ? "closed-by-server" : Integer.toString(status);
        } catch (IOException | ResponseParser.ProtocolException e) {
            return "closed-by-server";
        }
    }

    private void trickle(byte[] bytes) throws IOException, InterruptedException {
        for (int i = 0; i < bytes.length && !stopped; i++) {
            channel.write(ByteBuffer.wrap(bytes, i, 1));
            Thread.sleep(intervalMillis);
        }
    }

    /** @return the status, or -1 when the server closed the connection without an answer */
    private int readResponse(ResponseParser parser, ByteBuffer in) throws IOException,
            ResponseParser.ProtocolException {
        while (true) {
            in.clear();
            if (channel.read(in) < 0) {
                return parser.endOfInput() ? parser.status() : -1;
            }
            in.flip();
            if (parser.parse(in)) {
                return parser.status();
            }
        }
    }

    private synchronized void count(String outcome) {
        outcomes.merge(outcome, 1L, Long::sum);
    }

    private void closeQuietly() {
        SocketChannel open = channel;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // giving up on this connection anyway
            }
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
