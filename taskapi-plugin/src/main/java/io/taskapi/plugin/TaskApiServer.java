package io.taskapi.plugin;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.AclTokenVerifier;
import io.taskapi.plugin.auth.VerifiedIdentityCache;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.metrics.AuditLog;
import io.taskapi.plugin.socket.TaskSocketRegistry;
import io.taskapi.plugin.socket.UnixSocketConnector;
import io.taskapi.plugin.state.EmbeddedState;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.socket.SocketRequest;
import io.taskapi.spi.socket.SocketUnavailableException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running Task API of one agent: one Jetty server, one connector for every task socket. */
final class TaskApiServer implements TaskApi {
    private static final Logger LOG = LoggerFactory.getLogger(TaskApiServer.class);

    private final Server server;
    private final TaskSocketRegistry sockets;
    private final VerifiedIdentityCache identityCache;
    private final AclResolver acls;
    private final AclTokenVerifier aclTokens;
    private final AuditLog audit;
    private final EmbeddedState embedded;
    private boolean closed;

    @Inject
    TaskApiServer(Server server, UnixSocketConnector connector, TaskSocketRegistry sockets,
                  VerifiedIdentityCache identityCache, AclResolver acls, AclTokenVerifier aclTokens,
                  AuditLog audit, EmbeddedState embedded) {
        this.server = requireNonNull(server, "server is null");
        requireNonNull(connector, "connector is null"); // injected so that it is added to the server before start
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.identityCache = requireNonNull(identityCache, "identityCache is null");
        this.acls = requireNonNull(acls, "acls is null");
        this.aclTokens = requireNonNull(aclTokens, "aclTokens is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.embedded = requireNonNull(embedded, "embedded is null");
    }

    void start() {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new UncheckedIOException("the Task API server did not start: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        LOG.info("Task API started");
    }

    @Override
    public SocketMount openSocket(SocketRequest request) throws SocketUnavailableException {
        return sockets.openSocket(request);
    }

    @Override
    public void release(TaskRef task) {
        sockets.release(task);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sockets.close();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the Task API server did not stop cleanly", e);
        }
        identityCache.close();
        acls.close();
        aclTokens.close();
        audit.close();
        embedded.close();
        LOG.info("Task API stopped");
    }
}
