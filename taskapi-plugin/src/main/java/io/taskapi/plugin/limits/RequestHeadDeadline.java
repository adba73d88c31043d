package io.taskapi.plugin.limits;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.config.HttpConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections whose request head has been arriving for longer than {@code http.request-head-timeout}. Jetty's
 * idle timeout starts again with every byte, so a client trickling a header a byte at a time would otherwise keep its
 * connection, and its place under the connection limit, forever. An idle keep-alive connection (no byte of a next
 * request yet) is left to the idle timeout.
 *
 * <p>Jetty has no head deadline of its own; this looks at every connection's parser once a second, which costs
 * nothing per request and bounds the deadline's precision to a second. The parser is reached through Jetty's
 * {@code server.internal.HttpConnection}, which is not public API: a Jetty upgrade may move it (the head-deadline test
 * in {@code TaskIsolationTest} would say so).
 */
public final class RequestHeadDeadline extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadDeadline.class);
    private static final long SWEEP_INTERVAL_MILLIS = 1_000;
    private static final long NOT_ARRIVING = Long.MIN_VALUE;

    private final Server server;
    private final long timeoutNanos;
    private final long sweepMillis;
    // Only the sweeping thread touches it: what each connection looked like at the last sweep.
    private final Map<Connection, Seen> heads = new HashMap<>();
    private volatile Scheduler.Task next;

    /**
     * @param server whose connectors are watched, on whose scheduler
     * @param config the deadline
     */
    public RequestHeadDeadline(Server server, HttpConfig config) {
        this(server, config.requestHeadTimeout());
    }

    RequestHeadDeadline(Server server, Duration timeout) {
        this.server = requireNonNull(server, "server is null");
        this.timeoutNanos = timeout.toNanos();
        this.sweepMillis = Math.min(SWEEP_INTERVAL_MILLIS, Math.max(50, timeout.toMillis() / 4));
    }

    @Override
    protected void doStart() {
        // On the module path Jetty keeps HttpConnection to itself unless the agent exports it: the sweep would then
        // fail on every connection and trickled heads would go unchecked, so refuse to start instead.
        // (Naming HttpConnection.class here would already fail, with the JVM's IllegalAccessError.)
        Module jetty = Server.class.getModule();
        Module plugin = RequestHeadDeadline.class.getModule();
        String internal = Server.class.getPackageName() + ".internal";
        if (!jetty.isExported(internal, plugin)) {
            throw new IllegalStateException("the request head deadline needs Jetty's internal HttpConnection: run the "
                    + "JVM with --add-exports " + jetty.getName() + "/" + internal + "="
                    + (plugin.isNamed() ? plugin.getName() : "ALL-UNNAMED"));
        }
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task pending = next;
        if (pending != null) {
            pending.cancel();
        }
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            next = server.getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            Map<Connection, Seen> seenNow = new HashMap<>();
            for (Connector connector : server.getConnectors()) {
                for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                    Connection connection = endPoint.getConnection();
                    if (connection instanceof SslConnection tls) {
                        // HTTPS: the HTTP connection runs on the decrypted end point; closing closes the socket
                        connection = tls.getSslEndPoint().getConnection();
                    }
                    if (connection instanceof HttpConnection http) {
                        Seen seen = look(http, heads.get(http), now);
                        if (seen.headSinceNanos() != NOT_ARRIVING && now - seen.headSinceNanos() >= timeoutNanos) {
                            LOG.debug("closing a connection whose request head took over {} ms",
                                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                            endPoint.close();
                        } else {
                            seenNow.put(http, seen);
                        }
                    }
                }
            }
            heads.clear();
            heads.putAll(seenNow);
        } catch (RuntimeException e) {
            LOG.warn("request head sweep failed", e);
        } finally {
            schedule();
        }
    }

    /**
     * A head is arriving when the parser is inside one, or when bytes came in since the last look without completing
     * a request: Jetty skips blank lines before a request line without leaving START, and each resets its idle
     * timeout, so a client sending a newline now and then would otherwise hold the connection without limit.
     */
    private static Seen look(HttpConnection http, Seen before, long now) {
        long messagesIn = http.getMessagesIn();
        long bytesIn = http.getBytesIn();
        boolean sameRequest = before != null && before.messagesIn() == messagesIn;
        boolean arriving = headArriving(http.getParser())
                || (sameRequest && http.getParser().isStart() && bytesIn != before.bytesIn());
        if (!arriving) {
            // Idle, or past its head: the idle timeout and the body deadline take it from here.
            return new Seen(messagesIn, bytesIn, sameRequest ? before.headSinceNanos() : NOT_ARRIVING);
        }
        boolean clockRunning = sameRequest && before.headSinceNanos() != NOT_ARRIVING;
        return new Seen(messagesIn, bytesIn, clockRunning ? before.headSinceNanos() : now);
    }

    /** Some of a head has arrived, not all: past START (nothing yet), not yet past the headers. */
    private static boolean headArriving(HttpParser parser) {
        HttpParser.State state = parser.getState();
        return state.ordinal() > HttpParser.State.START.ordinal()
                && state.ordinal() <= HttpParser.State.HEADER.ordinal();
    }

    /**
     * @param messagesIn requests the connection has received
     * @param bytesIn bytes it has received
     * @param headSinceNanos when the current head was first seen arriving, or {@link #NOT_ARRIVING}
     */
    private record Seen(long messagesIn, long bytesIn, long headSinceNanos) {}
}
