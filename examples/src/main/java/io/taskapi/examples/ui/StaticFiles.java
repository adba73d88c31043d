package io.taskapi.examples.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The UI's files, from the jar: read once, served from memory. */
final class StaticFiles {
    private static final String BASE = "/io/taskapi/examples/ui/static/";

    /**
     * A file of the UI.
     *
     * @param contentType its media type
     * @param bytes its content
     */
    record File(String contentType, byte[] bytes) {}

    private final Map<String, File> files;

    StaticFiles() {
        files = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/index.html", load("index.html", "text/html; charset=utf-8"),
                "/app.js", load("app.js", "text/javascript; charset=utf-8"),
                "/app.css", load("app.css", "text/css; charset=utf-8"));
    }

    /** @return whether the path is a file (then it was answered) */
    boolean handle(String path, String method, Response response, Callback callback) {
        File file = files.get(path);
        if (file == null) {
            return false;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Json.error(response, callback, 405, "Method not allowed; " + path + " allows GET, HEAD");
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes().length);
        response.write(true, method.equals("HEAD") ? null : ByteBuffer.wrap(file.bytes()), callback);
        return true;
    }

    private static File load(String name, String contentType) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("the UI file " + name + " is not in the jar");
            }
            return new File(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
