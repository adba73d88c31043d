package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A connection accepted on a task socket, carrying its {@link SocketOrigin}.
 *
 * <p>Reads, writes, output shutdown and close are serialized on one lock. junixsocket closes a descriptor without
 * waiting for a read or write in flight on another thread (JDK channels do wait), so when the selector closes a
 * hung-up connection while a pool thread is still in {@code fill()}, the descriptor number can be handed to the next
 * accepted connection and the stale read swallows that connection's request: it then waits, unanswered, until the idle
 * timeout. Every call under the lock is non-blocking, so a closer waits microseconds.
 */
final class UnixSocketEndPoint extends SocketChannelEndPoint {
    // Kept wrapped so that every request's SocketOrigin.of(...) returns it without allocating.
    private final Optional<SocketOrigin> origin;
    private final Object io = new Object();

    UnixSocketEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                       SocketOrigin origin) {
        super(channel, selector, key, scheduler);
        this.origin = Optional.of(requireNonNull(origin, "origin is null"));
    }

    Optional<SocketOrigin> origin() {
        return origin;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        synchronized (io) {
            return super.fill(buffer);
        }
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
        synchronized (io) {
            return super.flush(buffers);
        }
    }

    @Override
    protected void doShutdownOutput() {
        synchronized (io) {
            super.doShutdownOutput();
        }
    }

    @Override
    public void doClose() {
        synchronized (io) {
            super.doClose();
        }
    }
}
