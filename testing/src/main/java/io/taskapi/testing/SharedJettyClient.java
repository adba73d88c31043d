package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The one Jetty {@link HttpClient} every {@link UnixHttpClient} sends through: each request names its socket with a
 * {@link org.eclipse.jetty.io.Transport.TCPUnix} transport, so one client serves every socket. It runs on daemon
 * threads and is never stopped, so a test that forgets to close a client leaks nothing that outlives the JVM.
 *
 * <p>Set up to send what the request says and nothing else: no cookie store (a test sends its cookies itself), no
 * redirects, no {@code Accept-Encoding} or {@code User-Agent}, no default {@code Content-Type}.
 */
final class SharedJettyClient {
    private static final HttpClient CLIENT = start();
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    private SharedJettyClient() {}

    static HttpClient get() {
        return CLIENT;
    }

    /**
     * A request as {@link UnixHttpClient.Request} describes it: its headers as given (a {@code Host} given replaces
     * {@code localhost}), {@code Connection: close} when asked and not given, a {@code Content-Length} body for a
     * body or a POST/PUT/PATCH.
     */
    static Request newRequest(Path connectPath, String method, String target, List<String[]> headers, byte[] body,
                              boolean close, Duration timeout) {
        Request jetty = CLIENT.newRequest("localhost", 80)
                .transport(new Transport.TCPUnix(connectPath))
                .method(method)
                .path(target)
                .timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        boolean ownConnection = headers.stream().anyMatch(header -> header[0].equalsIgnoreCase("Connection"));
        boolean ownHost = headers.stream().anyMatch(header -> header[0].equalsIgnoreCase("Host"));
        jetty.headers(fields -> {
            if (ownHost) {
                fields.remove(HttpHeader.HOST);
            }
            headers.forEach(header -> fields.add(header[0], header[1]));
            if (close && !ownConnection) {
                fields.put(HttpHeader.CONNECTION, "close");
            }
        });
        if (body.length > 0 || BODY_METHODS.contains(method)) {
            jetty.body(new BytesRequestContent((String) null, body));
        }
        return jetty;
    }

    /** The response with its trailer fields (of a chunked body) among its headers. */
    static HttpResponse toResponse(ContentResponse response) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        response.getHeaders().forEach(field -> fields.computeIfAbsent(field.getName(), name -> new ArrayList<>())
                .add(field.getValue()));
        HttpFields trailers = response.getTrailers();
        if (trailers != null) {
            trailers.forEach(field -> fields.computeIfAbsent(field.getName(), name -> new ArrayList<>())
                    .add(field.getValue()));
        }
        return new HttpResponse(response.getStatus(), new ResponseHeaders(fields),
                new String(response.getContent(), UTF_8));
    }

    private static HttpClient start() {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("unix-http-client");
        threads.setDaemon(true);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(1));
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("unix-http-client-scheduler", true));
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear();
        client.setDefaultRequestContentType(null);
        // Tests open many connections at once (limits, floods): never queue one behind another in the client.
        client.setMaxConnectionsPerDestination(100_000);
        client.setMaxRequestsQueuedPerDestination(100_000);
        client.setIdleTimeout(0);
        // A test suite makes thousands of sockets, each its own destination: forget one a while after its last use.
        client.setDestinationIdleTimeout(10_000);
        // Tests send oversized headers on purpose (the server must answer 431): let the client write them.
        client.setRequestBufferSize(256 * 1024);
        client.setConnectTimeout(UnixHttpClient.DEFAULT_TIMEOUT.toMillis());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Jetty HTTP client", e);
        }
        // An answer is the caller's to judge: a 401 without WWW-Authenticate is not a protocol error here.
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        return client;
    }
}
