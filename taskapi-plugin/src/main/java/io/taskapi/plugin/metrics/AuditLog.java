package io.taskapi.plugin.metrics;

import io.taskapi.plugin.socket.SocketOrigin;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request on the logger {@code taskapi.audit}, in logfmt: time, task socket, identity (an
 * accessor id or a workload subject, never a secret), method, route pattern, status and latency. The route is the
 * pattern ({@code /v1/var/*path}), not the requested path, so nothing a caller sent ends up in the line.
 */
public final class AuditLog {
    private static final Logger AUDIT = LoggerFactory.getLogger("taskapi.audit");

    /**
     * @param origin the task socket and peer, if the request came through one
     * @param identity the caller's audit name, or {@code -} when it never authenticated
     * @param method the method
     * @param route the route pattern, or {@code -}
     * @param status the answer's status
     * @param nanos how long it took
     */
    public void record(Optional<SocketOrigin> origin, String identity, String method, String route, int status,
                       long nanos) {
        if (!AUDIT.isInfoEnabled()) {
            return;
        }
        String socket = origin.map(o -> o.socket().request().task().allocationId() + "/"
                + o.socket().request().task().taskName()).orElse("operator");
        String peer = origin.map(o -> "pid=" + o.peer().pid() + " uid=" + o.peer().uid()).orElse("pid=- uid=-");
        AUDIT.info("time={} socket={} {} identity={} method={} route={} status={} latency_us={}",
                java.time.Instant.now(), socket, peer, quote(identity), method, quote(route), status, nanos / 1000);
    }

    private static String quote(String value) {
        return value.matches("[A-Za-z0-9_./:*@-]+") ? value : '"' + value.replace("\"", "'") + '"';
    }
}
