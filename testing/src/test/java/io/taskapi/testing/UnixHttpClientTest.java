package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.testing.TinyUnixHttpServer.Reply;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixHttpClientTest {
    @TempDir
    Path dir;

    private TinyUnixHttpServer server;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readsContentLengthResponseAndSendsHeaders() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"), request -> Reply.of(200,
                "{\"ok\":true,\"target\":\"" + request.target() + "\"}",
                "Content-Type: application/json", "X-Multi: one", "x-multi: two"));

        HttpResponse response = UnixHttpClient.at(server.path()).get("/v1/client/metadata?x=1")
                .token("secret-value").header("X-Extra", "1").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("ok").asBoolean()).isTrue();
        assertThat(response.json().path("target").asText()).isEqualTo("/v1/client/metadata?x=1");
        assertThat(response.header("content-type")).contains("application/json");
        assertThat(response.headers().all("X-MULTI")).containsExactly("one", "two");
        assertThat(response.headers().contains("x-absent")).isFalse();
        TinyUnixHttpServer.Request seen = server.requests().get(0);
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.header("X-Nomad-Token")).isEqualTo("secret-value");
        assertThat(seen.header("Host")).isEqualTo("localhost");
        assertThat(seen.header("Connection")).isEqualTo("close");
        assertThat(seen.header("X-Extra")).isEqualTo("1");
    }

    @Test
    void readsChunkedResponseWithExtensionsAndTrailers() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"), request -> Reply.raw("""
                HTTP/1.1 200 OK\r
                Transfer-Encoding: chunked\r
                \r
                5;ext=1\r
                hello\r
                7\r
                , world\r
                0\r
                X-Trailer: done\r
                \r
                """, false));

        HttpResponse response = UnixHttpClient.at(server.path()).get("/").send();

        assertThat(response.body()).isEqualTo("hello, world");
        assertThat(response.header("x-trailer")).contains("done");
    }

    @Test
    void readsBodyDelimitedByClose() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"),
                request -> Reply.raw("HTTP/1.0 200 OK\r\n\r\nuntil the end", true));

        assertThat(UnixHttpClient.at(server.path()).get("/").send().body()).isEqualTo("until the end");
    }

    @Test
    void sendsBodyWithContentLength() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"),
                request -> Reply.of(201, request.bodyText() + "|" + request.header("content-type")));

        HttpResponse response = UnixHttpClient.at(server.path()).request("PUT", "/v1/var/a")
                .json("{\"Items\":{\"k\":\"v\"}}").send();

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"Items\":{\"k\":\"v\"}}|application/json");
        assertThat(server.requests().get(0).header("Content-Length")).isEqualTo("19");
    }

    @Test
    void postWithoutBodySendsZeroContentLength() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"),
                request -> Reply.of(200, String.valueOf(request.header("content-length"))));

        assertThat(UnixHttpClient.at(server.path()).request("POST", "/").send().body()).isEqualTo("0");
    }

    @Test
    void keptAliveConnectionCarriesSeveralRequests() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"),
                request -> request.target().equals("/last")
                        ? Reply.raw("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye", true)
                        : Reply.of(200, request.target()));
        UnixHttpClient client = UnixHttpClient.at(server.path());

        try (UnixHttpClient.Connection connection = client.connection()) {
            assertThat(connection.get("/a").send().body()).isEqualTo("/a");
            assertThat(connection.get("/b").bearer("t").send().body()).isEqualTo("/b");
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.get("/last").send().body()).isEqualTo("bye");
            assertThat(connection.isOpen()).isFalse();
            assertThatThrownBy(() -> connection.get("/again").send()).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed");
        }
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.requests()).extracting(TinyUnixHttpServer.Request::connection).containsOnly(1);
        assertThat(server.requests().get(1).header("Authorization")).isEqualTo("Bearer t");
        assertThat(server.requests().get(0).header("Connection")).isNull();
    }

    @Test
    void headResponseHasNoBodyEvenWithContentLength() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"),
                request -> Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", false));

        HttpResponse response = UnixHttpClient.at(server.path()).timeout(Duration.ofSeconds(5))
                .request("HEAD", "/").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("Content-Length")).contains("42");
    }

    @Test
    void skipsInterimResponses() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"), request -> Reply.raw(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", false));

        HttpResponse response = UnixHttpClient.at(server.path()).get("/").send();

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void exchangeRawSendsTheExactBytes() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"),
                request -> Reply.of(400, request.method() + " " + request.header("x-dup")));

        HttpResponse response = UnixHttpClient.at(server.path())
                .exchangeRaw("BREW /pot HTTP/1.1\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\n".getBytes(UTF_8));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("BREW 1");
        assertThat(response.toString()).contains("BREW 1");
    }

    @Test
    void refusesLineBreaksInHeaders() {
        UnixHttpClient client = UnixHttpClient.at(dir.resolve("api.sock"));

        assertThatThrownBy(() -> client.get("/").header("X-A", "1\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR or LF");
        assertThatThrownBy(() -> client.get("/").header("Bad Name", "1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.get("/\r\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectToMissingSocketReportsTheErrno() {
        Path missing = dir.resolve("missing.sock");

        assertThatThrownBy(() -> UnixHttpClient.at(missing).get("/").send())
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageEndingWith("No such file or directory");
    }

    @Test
    void connectToDeadSocketReportsConnectionRefused() throws Exception {
        Path dead = dir.resolve("dead.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(dead));
        }
        assertThat(dead).exists();   // the JDK leaves the file behind

        assertThatThrownBy(() -> UnixHttpClient.at(dead).get("/").send())
                .isInstanceOf(ConnectException.class)
                .hasMessageEndingWith("Connection refused");
    }

    @Test
    void connectWithoutPermissionReportsPermissionDenied() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"), request -> Reply.of(200, ""));
        Files.setPosixFilePermissions(server.path(), PosixFilePermissions.fromString("rw-------"));

        if (!"root".equals(System.getProperty("user.name"))) {
            // The socket is ours; take our own permission away.
            Files.setPosixFilePermissions(server.path(), PosixFilePermissions.fromString("---------"));
            assertThatThrownBy(() -> UnixHttpClient.at(server.path()).get("/").send())
                    .isInstanceOf(ConnectException.class)
                    .hasMessageEndingWith("Permission denied");
            return;
        }
        // Root connects whatever the mode: connect from a child JVM running as nobody instead.
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to drop root");
        // The probe's class path: this module's classes, the probe, and the Jetty client with what it needs; the
        // jars are copied where nobody may read them (the local Maven repository may be private to root).
        Path jars = Files.createDirectories(Path.of("/tmp").resolve("probe-" + ProcessHandle.current().pid()));
        List<String> entries = new ArrayList<>();
        try {
            // By name: the jars the Jetty client needs at run time, which this module's code never names.
            for (String name : List.of(UnixHttpClient.class.getName(), ConnectProbe.class.getName(),
                    "org.eclipse.jetty.client.HttpClient", "org.eclipse.jetty.http.HttpFields",
                    "org.eclipse.jetty.io.Transport", "org.eclipse.jetty.util.Promise",
                    "org.eclipse.jetty.compression.Compression", "org.eclipse.jetty.compression.gzip.GzipCompression",
                    "org.slf4j.LoggerFactory")) {
                Class<?> type = Class.forName(name);
                Path entry = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isRegularFile(entry)) {
                    entry = Files.copy(entry, jars.resolve(entry.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-r--r--"));
                }
                entries.add(entry.toString());
            }
            Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
            probeAsNobody(String.join(File.pathSeparator, entries));
        } finally {
            try (var listing = Files.list(jars)) {
                for (Path jar : listing.toList()) {
                    Files.delete(jar);
                }
            }
            Files.delete(jars);
        }
    }

    private void probeAsNobody(String classPath) throws Exception {
        Process process = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                ConnectProbe.class.getName(), server.path().toString())
                .redirectErrorStream(true).start();
        String all = new String(process.getInputStream().readAllBytes(), UTF_8).trim();
        String output = all.substring(all.lastIndexOf('\n') + 1);   // after SLF4J's "no provider" notice
        process.waitFor();
        assumeTrue(output.startsWith("java.") || output.equals("CONNECTED"),
                "nobody cannot run the probe from this checkout: " + output);

        assertThat(output).isEqualTo("java.net.ConnectException: cannot connect to " + server.path()
                + ": Permission denied");
    }

    @Test
    void longPathNeedsTheShortLink() throws Exception {
        Path longDir = Files.createDirectories(dir.resolve("a".repeat(100)).resolve("b".repeat(100)));
        Path socket = longDir.resolve("api.sock");
        Path shortcut = Files.createSymbolicLink(dir.resolve("s"), longDir);
        server = TinyUnixHttpServer.start(shortcut.resolve("api.sock"), request -> Reply.of(200, "far away"));
        assertThat(socket).exists();
        assertThat(UnixHttpClient.fits(socket)).isFalse();

        assertThatThrownBy(() -> UnixHttpClient.at(socket).get("/").send())
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("longer than the 107")
                .hasMessageContaining("viaShortLink");

        Path linkDir;
        try (UnixHttpClient client = UnixHttpClient.viaShortLink(socket)) {
            assertThat(client.connectPath().toString().length()).isLessThan(UnixHttpClient.MAX_PATH_BYTES);
            assertThat(client.socket()).isEqualTo(socket);
            assertThat(client.get("/").send().body()).isEqualTo("far away");
            linkDir = client.connectPath().getParent().getParent();
            assertThat(Files.getPosixFilePermissions(linkDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(linkDir).doesNotExist();

        try (UnixHttpClient client = UnixHttpClient.forSocket(socket)) {
            assertThat(client.connectPath()).isNotEqualTo(socket);
            assertThat(client.get("/").send().status()).isEqualTo(200);
        }
        try (UnixHttpClient client = UnixHttpClient.forSocket(shortcut.resolve("api.sock"))) {
            assertThat(client.connectPath()).isEqualTo(shortcut.resolve("api.sock"));
        }
    }

    @Test
    void timesOutWhenTheServerNeverAnswers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"), request -> {
            release.await();
            return null;
        });
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> UnixHttpClient.at(server.path()).timeout(Duration.ofMillis(300)).get("/").send())
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("PT0.3S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            release.countDown();
        }
    }

    @Test
    void serverClosingWithoutAnswerIsAnEofException() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"), request -> null);

        assertThatThrownBy(() -> UnixHttpClient.at(server.path()).get("/").send())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("without a response");
    }

    @Test
    void truncatedBodyIsAnEofException() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"),
                request -> Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true));

        assertThatThrownBy(() -> UnixHttpClient.at(server.path()).get("/").send())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("5 of 10");
    }

    @Test
    void toStringHidesSuccessfulBodiesAndCredentials() throws Exception {
        server = TinyUnixHttpServer.start(dir.resolve("api.sock"), request -> Reply.of(
                request.target().equals("/ok") ? 200 : 403,
                request.target().equals("/ok") ? "{\"SecretID\":\"s3cr3t\"}" : "{\"errors\":[\"Permission denied\"]}",
                "Set-Cookie: token=s3cr3t"));
        UnixHttpClient client = UnixHttpClient.at(server.path());

        HttpResponse ok = client.get("/ok").send();
        HttpResponse denied = client.get("/denied").send();

        assertThat(ok.toString()).doesNotContain("s3cr3t").contains("status=200");
        assertThat(denied.toString()).contains("Permission denied").doesNotContain("s3cr3t");
        assertThat(ok.headers().all("set-cookie")).isEqualTo(List.of("token=s3cr3t"));
    }
}
