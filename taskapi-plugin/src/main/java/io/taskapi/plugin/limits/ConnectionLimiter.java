package io.taskapi.plugin.limits;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.taskapi.plugin.config.HttpConfig;
import io.taskapi.plugin.config.SocketConfig;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.socket.ConnectionAdmission;
import io.taskapi.plugin.socket.PeerCredentials;
import io.taskapi.plugin.socket.SocketOrigin;
import io.taskapi.plugin.socket.TaskSocket;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;

/**
 * Bounds open connections, at accept, so that no client can hold the descriptors another needs:
 * <ul>
 *   <li>a task socket serves at most {@code socket.max-connections} connections of peers that may use it; the next
 *       one is answered 429 and closed at once, and the ones already open keep working;</li>
 *   <li>peers the socket refuses (not the task's user) are served apart, only to be told 403, at most
 *       {@value #MAX_REFUSED_PEER_CONNECTIONS} at a time per socket; they never count against the task's own;</li>
 *   <li>the operator listener serves at most {@code http.operator-max-connections} (closed beyond).</li>
 * </ul>
 */
public final class ConnectionLimiter implements ConnectionAdmission {
    /** Connections per task socket kept open for peers that will only be told 403. */
    public static final int MAX_REFUSED_PEER_CONNECTIONS = 8;

    private final int maxConnections;
    private final int maxOperatorConnections;
    private final boolean allowRootPeer;
    private final ApiMetrics metrics;
    private final byte[] refusal;
    private final Cache<TaskSocket, Counts> open = CacheBuilder.newBuilder().weakKeys().build();
    private final AtomicInteger operatorOpen = new AtomicInteger();
    private final Connection.Listener operatorConnections = new Connection.Listener() {
        @Override
        public void onOpened(Connection connection) {
            if (decrypted(connection)) {
                return;
            }
            if (operatorOpen.incrementAndGet() > maxOperatorConnections) {
                metrics.rateLimited("connections");
                connection.getEndPoint().close();
            }
        }

        @Override
        public void onClosed(Connection connection) {
            if (decrypted(connection)) {
                return;
            }
            operatorOpen.decrementAndGet();
        }
    };

    // Over TLS the HTTP connection runs inside the TLS one and both are reported: count the TLS one only.
    private static boolean decrypted(Connection connection) {
        return connection.getEndPoint() instanceof SslConnection.SslEndPoint;
    }

    /**
     * @param socket the per-socket limit and whether root may use a task user's socket
     * @param http the operator listener's limit
     * @param metrics counts refusals
     * @param mapper writes the refusal's body
     */
    @Inject
    public ConnectionLimiter(SocketConfig socket, HttpConfig http, ApiMetrics metrics, ObjectMapper mapper) {
        this.maxConnections = socket.socketMaxConnections();
        this.maxOperatorConnections = http.operatorMaxConnections();
        this.allowRootPeer = socket.allowRootPeer();
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.refusal = refusalResponse(errorBody(mapper, "Too many connections to this task socket (at most "
                + maxConnections + "); close idle ones and retry"));
    }

    @Override
    public Admission admit(TaskSocket socket, PeerCredentials peer) {
        Counts counts = counts(socket);
        if (!socket.serves(peer, allowRootPeer)) {
            if (counts.refusedPeers.incrementAndGet() > MAX_REFUSED_PEER_CONNECTIONS) {
                counts.refusedPeers.decrementAndGet();
                metrics.rateLimited("connections");
                return Admission.REFUSE;
            }
            return Admission.SERVE_REFUSAL;
        }
        if (counts.served.incrementAndGet() > maxConnections) {
            counts.served.decrementAndGet();
            metrics.rateLimited("connections");
            return Admission.REFUSE;
        }
        return Admission.SERVE;
    }

    @Override
    public void released(SocketOrigin origin) {
        Counts counts = counts(origin.socket());
        (origin.peerAllowed() ? counts.served : counts.refusedPeers).decrementAndGet();
    }

    @Override
    public byte[] refusal() {
        return refusal.clone();
    }

    /**
     * @return the listener that counts the operator listener's connections, to add to that listener only (task
     *     sockets are admitted before they become connections)
     */
    public Connection.Listener operatorConnections() {
        return operatorConnections;
    }

    /**
     * @param socket a task socket
     * @return how many connections of peers that may use it are open
     */
    public int openConnections(TaskSocket socket) {
        return counts(socket).served.get();
    }

    private Counts counts(TaskSocket socket) {
        try {
            return open.get(socket, Counts::new);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The API's error shape, {@code {"errors":[…]}}, written here: the connection is refused before any route. */
    private static byte[] errorBody(ObjectMapper mapper, String message) {
        try {
            return mapper.writeValueAsBytes(java.util.Map.of("errors", List.of(message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an error body", e);
        }
    }

    private static byte[] refusalResponse(byte[] body) {
        String head = "HTTP/1.1 429 Too Many Requests\r\n"
                + "Content-Type: application/json\r\n"
                + "Retry-After: 1\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] response = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(body, 0, response, headBytes.length, body.length);
        return response;
    }

    private static final class Counts {
        private final AtomicInteger served = new AtomicInteger();
        private final AtomicInteger refusedPeers = new AtomicInteger();
    }
}
