package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/** A connection accepted on a task socket, carrying its {@link SocketOrigin}. */
final class UnixSocketEndPoint extends SocketChannelEndPoint {
    // Kept wrapped so that every request's SocketOrigin.of(...) returns it without allocating.
    private final Optional<SocketOrigin> origin;

    UnixSocketEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                       SocketOrigin origin) {
        super(channel, selector, key, scheduler);
        this.origin = Optional.of(requireNonNull(origin, "origin is null"));
    }

    Optional<SocketOrigin> origin() {
        return origin;
    }
}
