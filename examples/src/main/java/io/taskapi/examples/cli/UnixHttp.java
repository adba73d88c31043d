package io.taskapi.examples.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * One HTTP/1.1 exchange over a Unix domain socket ({@code NOMAD_ADDR=unix://…}), with Jetty's client over a
 * {@link Transport.TCPUnix} transport: what a task needs to call its {@code ${NOMAD_SECRETS_DIR}/api.sock}. One
 * request per connection ({@code Connection: close}).
 */
final class UnixHttp {
    /** Linux's {@code sun_path} holds 108 bytes with the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private UnixHttp() {}

    /**
     * @param socket the socket file
     * @param method the method
     * @param target the path and query
     * @param headers request headers (the token among them: never logged)
     * @param body the body, possibly empty
     * @param timeout how long the whole exchange may take
     * @return the status and body
     * @throws IOException when the socket cannot be reached (the message is the system's, for example
     *     {@code No such file or directory}) or the answer is not HTTP
     */
    static ApiClient.Response exchange(Path socket, String method, String target, Map<String, String> headers,
                                       byte[] body, Duration timeout) throws IOException {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("socket path is longer than " + MAX_PATH_BYTES + " bytes: " + socket);
        }
        Request request = Shared.CLIENT.newRequest("localhost", 80)
                .transport(new Transport.TCPUnix(socket))
                .method(method)
                .path(target)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(fields -> {
                    fields.put(HttpHeader.CONNECTION, "close");
                    headers.forEach(fields::add);
                });
        if (body.length > 0 || !method.equals("GET")) {
            request.body(new BytesRequestContent((String) null, body));
        }
        try {
            ContentResponse response = new CompletableResponseListener(request, MAX_BODY_BYTES).send().get();
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            for (HttpField field : response.getHeaders()) {
                answerHeaders.merge(field.getName().toLowerCase(Locale.ROOT), field.getValue(), (a, b) -> a + "," + b);
            }
            return new ApiClient.Response(response.getStatus(), response.getContent(), answerHeaders);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** Jetty's failure as the IOException the command prints: the system's own words for a connect that failed. */
    private static IOException failure(Throwable cause) {
        // Jetty wraps a failed connect in "Could not connect to <path>"; the JDK's errno text is in the cause.
        if (cause instanceof java.net.SocketException && cause.getCause() instanceof IOException io
                && String.valueOf(cause.getMessage()).startsWith("Could not connect")) {
            return io;
        }
        if (cause instanceof TimeoutException) {
            return new IOException("no answer: " + cause.getMessage(), cause);
        }
        return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    }

    /** One client for the process, on daemon threads: a command makes one call or a few, then exits. */
    private static final class Shared {
        static final HttpClient CLIENT = start();

        private static HttpClient start() {
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("taskapi-cli-http");
            threads.setDaemon(true);
            HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(1));
            client.setExecutor(threads);
            client.setScheduler(new ScheduledExecutorScheduler("taskapi-cli-http-scheduler", true));
            client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "taskapi-cli"));
            client.setHttpCookieStore(new HttpCookieStore.Empty());
            client.setFollowRedirects(false);
            client.getContentDecoderFactories().clear();
            client.setDefaultRequestContentType(null);
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the HTTP client", e);
            }
            // An answer is the caller's to judge: a 401 without WWW-Authenticate is not a protocol error here.
            client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
            client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
            return client;
        }
    }
}
