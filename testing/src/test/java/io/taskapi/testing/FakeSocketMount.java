package io.taskapi.testing;

import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task socket served by {@link TinyUnixHttpServer}, as a fake Task API would make it. Long secrets directories are
 * bound through a symlink in {@code linkDir}, as the real plugin does.
 */
final class FakeSocketMount {
    private final SocketRequest request;
    private final TinyUnixHttpServer server;
    private final Path link;
    private final AtomicInteger closes = new AtomicInteger();

    private FakeSocketMount(SocketRequest request, TinyUnixHttpServer server, Path link) {
        this.request = request;
        this.server = server;
        this.link = link;
    }

    /** Serves {@code {"task":…,"authenticated":…}} with 200, or 401 without a token. */
    static FakeSocketMount open(SocketRequest request, Path linkDir) throws IOException {
        Path hostPath = request.hostSecretsDir().resolve("api.sock");
        Path link = null;
        Path bindPath = hostPath;
        if (!UnixHttpClient.fits(hostPath)) {
            Files.createDirectories(linkDir);
            link = Files.createSymbolicLink(linkDir.resolve(request.task().allocationId().substring(0, 8)),
                    request.hostSecretsDir());
            bindPath = link.resolve("api.sock");
        }
        TinyUnixHttpServer server = TinyUnixHttpServer.start(bindPath, seen -> {
            String token = seen.header("X-Nomad-Token");
            if (token == null) {
                return TinyUnixHttpServer.Reply.of(401, "{\"errors\":[\"missing token\"]}");
            }
            return TinyUnixHttpServer.Reply.of(200, "{\"task\":\"" + request.task().taskName()
                    + "\",\"tokenLength\":" + token.length() + "}");
        });
        return new FakeSocketMount(request, server, link);
    }

    SocketRequest request() {
        return request;
    }

    int closes() {
        return closes.get();
    }

    Path hostPath() {
        return request.hostSecretsDir().resolve("api.sock");
    }

    /** @return what the fake Task API hands the driver */
    SocketMount mount() {
        Path taskPath = request.taskSecretsDir().resolve("api.sock");
        return SocketMount.of(hostPath(), taskPath, Map.of("NOMAD_SECRETS_DIR", request.taskSecretsDir().toString(),
                "NOMAD_UNIX_ADDR", "unix://" + taskPath));
    }

    /** Stops serving and removes the file, as the agent's release of the task does. */
    void close() {
        if (closes.incrementAndGet() == 1) {
            try {
                server.close();
                Files.deleteIfExists(hostPath());
                if (link != null) {
                    Files.deleteIfExists(link);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
