package io.taskapi.examples.ui;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every request of the proxy: {@code /v1/…} forwarded, {@code /ui/…} the session routes, the UI's files, else a JSON
 * 404. Every answer says what a browser may do with it: scripts and styles from this origin only, no framing, no
 * sniffing, no referrer.
 */
final class UiHandler extends Handler.Abstract {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final ApiForwarder forwarder;
    private final SessionRoutes session;
    private final StaticFiles files;

    UiHandler(ApiForwarder forwarder, SessionRoutes session, StaticFiles files) {
        this.forwarder = requireNonNull(forwarder, "forwarder is null");
        this.session = requireNonNull(session, "session is null");
        this.files = requireNonNull(files, "files is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        String path = request.getHttpURI().getPath();
        try {
            if (path.startsWith("/v1/")) {
                forwarder.handle(request, response, callback);
            } else if (!session.handle(path, request, response, callback)
                    && !files.handle(path, request.getMethod(), response, callback)) {
                Json.error(response, callback, 404, "Not found: " + path);
            }
        } catch (IOException e) {
            // The session routes' calls to the task socket: answered as the forwarder answers its own failures.
            if (response.isCommitted()) {
                throw e;
            }
            Json.error(response, callback, 502, "Bad gateway: the Task API socket did not answer: " + e.getMessage());
        }
        return true;
    }
}
