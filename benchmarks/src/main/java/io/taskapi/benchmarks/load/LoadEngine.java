package io.taskapi.benchmarks.load;

import static java.util.Objects.requireNonNull;

import io.taskapi.benchmarks.load.Tally.ErrorKind;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closed-loop HTTP/1.1 load over a Unix socket: every connection sends its next request as soon as it has read the
 * previous response. The connections are spread over a few event-loop threads (NIO, epoll), so the client costs
 * little CPU next to a server it shares the cores with.
 *
 * <p>Latency runs from just before a request is written to the end of its response. Only responses to requests sent
 * inside the measured window, and completed inside it, are counted; so are only the errors that happen inside it.
 * After an error the connection is closed and redialled (10 ms later if the dial failed); a connection the server
 * closes cleanly ({@code Connection: close}) is redialled and counted as a reconnect, not an error.
 */
public final class LoadEngine {
    private static final long REDIAL_PAUSE_NANOS = 10_000_000;
    private static final int READ_BUFFER = 64 * 1024;

    private final UnixDomainSocketAddress address;
    private final List<Workload> workloads;
    private final int threads;
    private final long timeoutNanos;
    private final AtomicBoolean stop = new AtomicBoolean();

    /** What the caller wants done at the edges of the measured window (on the caller's thread). */
    public interface Window {
        /** The measured window starts now. */
        void started();

        /** The measured window ends now. */
        void ended();
    }

    /**
     * @param socket the server's Unix socket
     * @param workloads what to send, on how many connections each
     * @param threads event-loop threads (connections are spread over them)
     * @param timeout how long a request may wait for its response before it counts as an error
     */
    public LoadEngine(Path socket, List<Workload> workloads, int threads, Duration timeout) {
        this.address = UnixDomainSocketAddress.of(requireNonNull(socket, "socket is null"));
        this.workloads = List.copyOf(requireNonNull(workloads, "workloads is null"));
        if (this.workloads.isEmpty()) {
            throw new IllegalArgumentException("no workload");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.threads = threads;
        this.timeoutNanos = requireNonNull(timeout, "timeout is null").toNanos();
    }

    /** Ends a running {@link #run} early, at the next event-loop turn; what was measured so far is kept. */
    public void stop() {
        stop.set(true);
    }

    /**
     * Runs the warm-up, then the measured window, then returns.
     *
     * @param warmup load that is not measured, before the window
     * @param duration the measured window
     * @param window told when the window starts and ends
     * @return each workload's tally, by label, in workload order
     * @throws InterruptedException when interrupted while waiting (the load threads are stopped first)
     */
    public Map<String, Tally> run(Duration warmup, Duration duration, Window window) throws InterruptedException {
        long now = System.nanoTime();
        long start = now + warmup.toNanos();
        long end = start + duration.toNanos();
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < Math.min(threads, totalConnections()); i++) {
            loops.add(new Loop(start, end));
        }
        int next = 0;
        for (Workload workload : workloads) {
            for (int c = 0; c < workload.connections(); c++) {
                loops.get(next++ % loops.size()).add(workload);
            }
        }
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            Thread thread = new Thread(loops.get(i), "load-" + i);
            thread.setDaemon(true);
            thread.start();
            running.add(thread);
        }
        try {
            sleepUntil(start);
            window.started();
            sleepUntil(end);
            window.ended();
            for (Thread thread : running) {
                thread.join();
            }
        } finally {
            stop.set(true);
        }
        Map<String, Tally> merged = new LinkedHashMap<>();
        for (Workload workload : workloads) {
            merged.put(workload.label(), new Tally());
        }
        for (Loop loop : loops) {
            if (loop.failure != null) {
                throw new IllegalStateException("a load thread failed", loop.failure);
            }
            loop.tallies.forEach((label, tally) -> merged.get(label).add(tally));
        }
        return merged;
    }

    private int totalConnections() {
        return workloads.stream().mapToInt(Workload::connections).sum();
    }

    private void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !stop.get()) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 100)));
        }
    }

    /** One event-loop thread and its connections. */
    private final class Loop implements Runnable {
        private final long start;
        private final long end;
        private final List<Conn> conns = new ArrayList<>();
        private final Map<String, Tally> tallies = new LinkedHashMap<>();
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
        private Selector selector;
        private volatile Throwable failure;

        Loop(long start, long end) {
            this.start = start;
            this.end = end;
        }

        void add(Workload workload) {
            Tally tally = tallies.computeIfAbsent(workload.label(), label -> new Tally());
            conns.add(new Conn(workload, tally));
        }

        @Override
        public void run() {
            try (Selector sel = Selector.open()) {
                selector = sel;
                long now = System.nanoTime();
                for (Conn conn : conns) {
                    dial(conn, now);
                }
                while (!stop.get() && (now = System.nanoTime()) < end) {
                    selector.select(Math.max(1, Math.min(10, (end - now) / 1_000_000)));
                    now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        ready((Conn) key.attachment(), key, now);
                    }
                    selector.selectedKeys().clear();
                    for (Conn conn : conns) {
                        if (conn.channel == null && now >= conn.redialAt) {
                            dial(conn, now);
                        } else if (conn.channel != null && conn.waiting && now - conn.sentAt > timeoutNanos) {
                            fail(conn, ErrorKind.TIMEOUT, now);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                for (Conn conn : conns) {
                    closeQuietly(conn);
                }
            }
        }

        private void dial(Conn conn, long now) {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(address);
                channel.configureBlocking(false);
                conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
                conn.channel = channel;
                conn.parser.reset();
                send(conn);
            } catch (IOException e) {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // nothing to do: the dial failed anyway
                    }
                }
                conn.channel = null;
                conn.redialAt = now + REDIAL_PAUSE_NANOS;
                if (now >= start) {
                    conn.tally.error(ErrorKind.DIAL);
                }
            }
        }

        private void send(Conn conn) throws IOException {
            conn.out.rewind();
            conn.parser.expectBodyless(conn.workload.head());
            conn.sentAt = System.nanoTime();
            conn.waiting = true;
            conn.channel.write(conn.out);
            if (conn.out.hasRemaining()) {
                conn.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        private void ready(Conn conn, SelectionKey key, long now) {
            if (conn.channel == null || !key.isValid()) {
                return;
            }
            try {
                if (key.isWritable()) {
                    conn.channel.write(conn.out);
                    if (!conn.out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isReadable()) {
                    read(conn, now);
                }
            } catch (ResponseParser.ProtocolException e) {
                fail(conn, ErrorKind.PROTOCOL, now);
            } catch (IOException e) {
                fail(conn, conn.waiting ? ErrorKind.CLOSED : ErrorKind.OTHER, now);
            }
        }

        private void read(Conn conn, long now) throws IOException, ResponseParser.ProtocolException {
            readBuffer.clear();
            int n = conn.channel.read(readBuffer);
            if (n < 0) {
                if (conn.parser.endOfInput()) {
                    completed(conn, now);
                } else if (conn.waiting) {
                    fail(conn, ErrorKind.CLOSED, now);
                } else {
                    redial(conn, now);
                }
                return;
            }
            readBuffer.flip();
            if (!conn.parser.parse(readBuffer)) {
                return;
            }
            if (readBuffer.hasRemaining()) {
                throw new ResponseParser.ProtocolException("bytes after the response to the only request in flight");
            }
            completed(conn, now);
        }

        private void completed(Conn conn, long now) throws IOException {
            conn.waiting = false;
            if (conn.sentAt >= start && now <= end) {
                conn.tally.response(conn.parser.status(), now - conn.sentAt);
            }
            if (conn.parser.closeAfter()) {
                if (now >= start) {
                    conn.tally.reconnect();
                }
                redial(conn, now);
            } else if (now < end && !stop.get()) {
                send(conn);
            }
        }

        private void fail(Conn conn, ErrorKind kind, long now) {
            if (now >= start && now <= end) {
                conn.tally.error(kind);
            }
            redial(conn, now);
        }

        private void redial(Conn conn, long now) {
            closeQuietly(conn);
            if (now < end && !stop.get()) {
                dial(conn, now);
            }
        }

        private void closeQuietly(Conn conn) {
            conn.waiting = false;
            if (conn.channel != null) {
                try {
                    conn.channel.close();
                } catch (IOException ignored) {
                    // closing a connection we give up on
                }
                conn.channel = null;
            }
        }
    }

    /** One keep-alive connection: its request, its parser, the request in flight. */
    private static final class Conn {
        final Workload workload;
        final Tally tally;
        final ByteBuffer out;
        final ResponseParser parser = new ResponseParser();
        SocketChannel channel;
        SelectionKey key;
        long sentAt;
        boolean waiting;
        long redialAt;

        Conn(Workload workload, Tally tally) {
            this.workload = workload;
            this.tally = tally;
            byte[] request = workload.encode();
            this.out = ByteBuffer.allocateDirect(request.length).put(request).flip();
        }
    }
}
