package io.taskapi.examples.ui;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The task's Task API socket, called with Jetty's HTTP client over a {@link Transport.TCPUnix} transport (the JDK's
 * own Unix domain sockets: no junixsocket needed on the client side). The client sends what it is told and nothing
 * else: no cookie store, no redirects, no content decoding, and a 401 is an answer to pass on, not a challenge.
 */
final class TaskSocket implements AutoCloseable {
    /** Linux's {@code sun_path} holds 108 bytes with the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;
    private static final int MAX_ANSWER_BYTES = 32 * 1024 * 1024;

    private final Path socket;
    private final HttpClient client;

    /**
     * An answer of the API.
     *
     * @param status its status
     * @param headers its header fields, in order (a name may repeat)
     * @param body its body
     */
    record Answer(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        Answer {
            headers = List.copyOf(headers);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * @param socket the socket file ({@code NOMAD_UNIX_ADDR} without {@code unix://})
     * @throws IOException when the client cannot start
     */
    TaskSocket(Path socket) throws IOException {
        this.socket = reachable(requireNonNull(socket, "socket is null"));
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("ui-proxy-api-client");
        threads.setDaemon(true);
        client = new HttpClient(new HttpClientTransportOverHTTP(1));
        client.setExecutor(threads);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setFollowRedirects(false);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "taskapi-ui-proxy"));
        client.getContentDecoderFactories().clear();
        client.setDefaultRequestContentType(null);
        client.setConnectTimeout(10_000);
        try {
            client.start();
        } catch (Exception e) {
            throw new IOException("cannot start the Task API client", e);
        }
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
    }

    /**
     * One call.
     *
     * @param method the method
     * @param pathAndQuery the path and its query, as the browser sent them
     * @param headers the headers to send (the token among them: never logged)
     * @param body the body, or null for none
     * @param timeout how long the call may take (a blocking query needs its wait and more)
     * @return the answer
     * @throws IOException when the socket cannot be reached or does not answer in time
     */
    Answer call(String method, String pathAndQuery, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException {
        int query = pathAndQuery.indexOf('?');
        Request request = client.newRequest("localhost", 80)
                .transport(new Transport.TCPUnix(socket))
                .method(method)
                .path(pathAndQuery)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        request.headers(fields -> headers.forEach(fields::put));
        if (body != null) {
            request.body(new BytesRequestContent(headers.get("Content-Type"), body));
        }
        try {
            ContentResponse response = new CompletableResponseListener(request, MAX_ANSWER_BYTES).send().get();
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            response.getHeaders().forEach(field -> fields.add(Map.entry(field.getName(), field.getValue())));
            return new Answer(response.getStatus(), fields, response.getContent());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw new IOException("no answer in " + timeout.toSeconds() + "s", cause);
            }
            // the path, never the query: it is the browser's, and nothing secret is in a path of the API
            String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
            throw new IOException(path + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** @return the socket this client calls */
    Path socket() {
        return socket;
    }

    @Override
    public void close() {
        LifeCycle.stop(client);
    }

    /**
     * A socket path longer than {@code sun_path} cannot be connected to; the same file relative to the working
     * directory (a task runs in its task directory, the socket is in its {@code secrets/}) usually can.
     */
    private static Path reachable(Path socket) {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES || !socket.isAbsolute()) {
            return socket;
        }
        Path relative = Path.of("").toAbsolutePath().relativize(socket);
        return relative.toString().getBytes(StandardCharsets.UTF_8).length < socket.toString().length()
                ? relative : socket;
    }
}
