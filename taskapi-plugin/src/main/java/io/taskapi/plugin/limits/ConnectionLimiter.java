package io.taskapi.plugin.limits;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.socket.SocketOrigin;
import io.taskapi.plugin.socket.TaskSocket;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;

/**
 * Counts open connections per task socket (a Jetty connection listener on the socket connector), so that requests on
 * connections beyond {@code socket.max-connections} are refused with 429 and closed: a task cannot hold the agent's
 * descriptors hostage.
 */
public final class ConnectionLimiter implements Connection.Listener {
    private final int maxConnections;
    private final Cache<TaskSocket, AtomicInteger> open = CacheBuilder.newBuilder().weakKeys().build();

    /** @param config the limit */
    @Inject
    public ConnectionLimiter(TaskApiConfig config) {
        this.maxConnections = config.socketMaxConnections();
    }

    @Override
    public void onOpened(Connection connection) {
        SocketOrigin.of(connection).ifPresent(origin -> counter(origin.socket()).incrementAndGet());
    }

    @Override
    public void onClosed(Connection connection) {
        SocketOrigin.of(connection).ifPresent(origin -> counter(origin.socket()).decrementAndGet());
    }

    /**
     * @param socket a task socket
     * @return whether it has more open connections than allowed
     */
    public boolean overLimit(TaskSocket socket) {
        return counter(socket).get() > maxConnections;
    }

    /** @return the limit */
    public int maxConnections() {
        return maxConnections;
    }

    private AtomicInteger counter(TaskSocket socket) {
        try {
            return open.get(socket, AtomicInteger::new);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
