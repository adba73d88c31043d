package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Scheduler;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the connections {@link ConnectionAdmission} refuses at accept, without giving them an endpoint, a buffer or
 * a thread: the refusal (a 429) is written and the output shut at once, and the descriptor is closed a moment later.
 * Closing at once would fail the client's request write (EPIPE) before it could read the answer; closing a Unix socket
 * with unread data would fail its read (ECONNRESET). At most {@value #MAX_LINGERING} refused connections linger at a
 * time; beyond that they are closed at once.
 *
 * <p>Thread-safe: the connector's selector threads call it.
 */
final class RefusedConnections {
    private static final Logger LOGGER = LoggerFactory.getLogger(RefusedConnections.class);
    private static final int DRAIN_BYTES = 64 * 1024;
    private static final int MAX_LINGERING = 256;
    private static final long REFUSAL_LINGER_MILLIS = 500;

    private final ConnectionAdmission admission;
    private final AtomicInteger lingering = new AtomicInteger();

    /** @param admission what the refusal says */
    RefusedConnections(ConnectionAdmission admission) {
        this.admission = requireNonNull(admission, "admission is null");
    }

    /**
     * @param channel a connection just accepted and refused
     * @param scheduler where the delayed close runs
     */
    void refuse(AFUNIXSocketChannel channel, Scheduler scheduler) {
        try {
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(admission.refusal()));
            channel.shutdownOutput();
        } catch (IOException e) {
            LOGGER.debug("Refused connection went away: {}", e.toString());
            IO.close(channel);
            return;
        }
        if (lingering.incrementAndGet() > MAX_LINGERING) {
            lingering.decrementAndGet();
            drainAndClose(channel);
            return;
        }
        scheduler.schedule(() -> {
            lingering.decrementAndGet();
            drainAndClose(channel);
        }, REFUSAL_LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void drainAndClose(AFUNIXSocketChannel channel) {
        try (channel) {
            ByteBuffer sink = ByteBuffer.allocate(DRAIN_BYTES);
            while (channel.read(sink) > 0 && sink.hasRemaining()) {
                // dropped: the request was refused
            }
        } catch (IOException e) {
            LOGGER.debug("Refused connection went away: {}", e.toString());
        }
    }
}
