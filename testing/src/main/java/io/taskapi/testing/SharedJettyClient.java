package io.taskapi.testing;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
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

    private SharedJettyClient() {}

    static HttpClient get() {
        return CLIENT;
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
        client.setConnectTimeout(UnixHttpClient.DEFAULT_TIMEOUT.toMillis());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Jetty HTTP client", e);
        }
        return client;
    }
}
