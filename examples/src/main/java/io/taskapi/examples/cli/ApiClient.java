package io.taskapi.examples.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Calls the agent's HTTP API as Nomad's CLI does: at {@code http://…}, {@code https://…} or {@code unix://…} (a task's
 * {@code NOMAD_UNIX_ADDR}), with the token in {@code X-Nomad-Token}. An answer of 400 or more becomes an
 * {@link ApiException} carrying the API's {@code errors}.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String address;
    private final Optional<String> token;
    /** For https: the JDK's client, which brings TLS. */
    private final HttpClient https;
    /** For http and unix: a plain exchange, without a client library's start-up. */
    private final Http1 plain;

    /**
     * An HTTP answer.
     *
     * @param status the status
     * @param body the body
     * @param headers the headers, names in lower case
     */
    public record Response(int status, byte[] body, Map<String, String> headers) {
        /** @return the body as text */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * @param address {@code http://host:port}, {@code https://host:port} or {@code unix:///path/to/api.sock}
     * @param token the ACL token or workload identity to send, if any (never logged or printed)
     * @param caCert a PEM certificate to trust for https, if any
     * @param skipVerify trust any https certificate (for a throwaway agent only)
     * @throws IllegalArgumentException for an address of another scheme
     */
    public ApiClient(String address, Optional<String> token, Optional<Path> caCert, boolean skipVerify) {
        this.address = requireNonNull(address, "address is null").replaceAll("/+$", "");
        this.token = requireNonNull(token, "token is null").filter(t -> !t.isBlank());
        if (address.startsWith("unix://") || address.startsWith("unix:/")) {
            this.plain = Http1.unix(Path.of(address.substring(address.startsWith("unix://") ? 7 : 5)));
            this.https = null;
        } else if (address.startsWith("http://")) {
            URI uri = URI.create(this.address);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in the address " + address);
            }
            this.plain = Http1.tcp(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
            this.https = null;
        } else if (address.startsWith("https://")) {
            this.plain = null;
            this.https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .version(HttpClient.Version.HTTP_1_1).sslContext(sslContext(caCert, skipVerify)).build();
        } else {
            throw new IllegalArgumentException("address must start with http://, https:// or unix://, not "
                    + address);
        }
    }

    /** @return the address it calls */
    public String address() {
        return address;
    }

    /**
     * @param path a path and query, for example {@code /v1/nodes?filter=…}
     * @return the JSON answer
     * @throws IOException when the agent cannot be reached
     * @throws ApiException when the agent answers with an error
     */
    public JsonNode get(String path) throws IOException, ApiException {
        return json(send("GET", path, null));
    }

    /**
     * @param method PUT, POST or DELETE
     * @param path a path and query
     * @param body a JSON body, or null
     * @return the JSON answer (null for an empty body)
     * @throws IOException when the agent cannot be reached
     * @throws ApiException when the agent answers with an error
     */
    public JsonNode write(String method, String path, JsonNode body) throws IOException, ApiException {
        return json(send(method, path, body == null ? null : JSON.writeValueAsBytes(body)));
    }

    /**
     * @param method the method
     * @param path a path and query
     * @param body the body, or null
     * @return the answer, of any status below 400
     * @throws IOException when the agent cannot be reached
     * @throws ApiException when the agent answers with an error
     */
    public Response send(String method, String path, byte[] body) throws IOException, ApiException {
        Map<String, String> headers = new LinkedHashMap<>();
        token.ifPresent(t -> headers.put("X-Nomad-Token", t));
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        Response response;
        if (plain != null) {
            response = plain.exchange(method, path, headers, body == null ? new byte[0] : body, TIMEOUT);
        } else {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path)).timeout(TIMEOUT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            try {
                HttpResponse<byte[]> answer = https.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                Map<String, String> answerHeaders = new LinkedHashMap<>();
                answer.headers().map().forEach((k, v) -> answerHeaders.put(k.toLowerCase(java.util.Locale.ROOT),
                        String.join(",", v)));
                response = new Response(answer.statusCode(), answer.body(), answerHeaders);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (response.status() >= 400) {
            throw new ApiException(response.status(), errors(response));
        }
        return response;
    }

    /**
     * Opens a WebSocket to the agent (for {@code alloc exec}), with the token as on every request.
     *
     * @param path a path and query
     * @param listener receives the frames
     * @return the open WebSocket
     * @throws IOException when the agent cannot be reached or refuses (the status in the message)
     */
    public WebSocket webSocket(String path, WebSocket.Listener listener) throws IOException {
        if (plain != null && !address.startsWith("http://")) {
            throw new IOException("a WebSocket needs an http:// or https:// address, not " + address);
        }
        HttpClient client = https != null ? https
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        token.ifPresent(t -> builder.header("X-Nomad-Token", t));
        try {
            return builder.buildAsync(URI.create(address.replaceFirst("^http", "ws") + path), listener).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new IOException("Unexpected response code: " + refused.getResponse().statusCode());
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * @param value a query parameter value
     * @return it URL-encoded
     */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode json(Response response) throws IOException {
        return response.body().length == 0 ? null : JSON.readTree(response.body());
    }

    private static List<String> errors(Response response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.has("errors") && node.get("errors").isArray()) {
                List<String> messages = new ArrayList<>();
                node.get("errors").forEach(m -> messages.add(m.asText()));
                if (!messages.isEmpty()) {
                    return messages;
                }
            }
        } catch (IOException e) {
            // not JSON: the text below
        }
        String text = response.text().trim();
        return List.of(text.isEmpty() ? "HTTP " + response.status() : text);
    }

    private static SSLContext sslContext(Optional<Path> caCert, boolean skipVerify) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (skipVerify) {
                // Only on request (-tls-skip-verify): the JDK client still checks host names unless told not to.
                System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
                context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            } else if (caCert.isPresent()) {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(caCert.get())) {
                    int i = 0;
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("ca" + i++, certificate);
                    }
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trust);
                context.init(null, factory.getTrustManagers(), new SecureRandom());
            } else {
                context.init(null, null, new SecureRandom());
            }
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Accepts any certificate: -tls-skip-verify. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
