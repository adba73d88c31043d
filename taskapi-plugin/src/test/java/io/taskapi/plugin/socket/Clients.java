package io.taskapi.plugin.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real clients for the tests: curl (optionally under setpriv) and a JDK Unix-domain SocketChannel. */
final class Clients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Clients() {}

    /** What a curl run gave. */
    record CurlResult(int exitCode, long pid, String body, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body + " / " + stderr, e);
            }
        }
    }

    /** Runs curl against {@code socket} as root. */
    static CurlResult curl(Path workDir, String socket) {
        return curlAs(workDir, socket, -1);
    }

    /**
     * Runs curl against {@code socket} from {@code workDir}, as {@code uid} (with the same gid and no supplementary
     * groups) when it is not -1. setpriv execs curl, so the process id is curl's.
     */
    static CurlResult curlAs(Path workDir, String socket, int uid) {
        List<String> command = new ArrayList<>();
        if (uid >= 0) {
            command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        }
        command.addAll(List.of("curl", "-sS", "--max-time", "10", "--unix-socket", socket,
                "http://localhost/v1/origin"));
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("curl hung");
            }
            return new CurlResult(process.exitValue(), process.pid(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GETs through a JDK {@code SocketChannel} and returns the response body parsed as JSON. */
    static JsonNode jdkGet(Path socket) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET /v1/origin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                response.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            String text = response.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 200")) {
                throw new IOException("unexpected response: " + text);
            }
            return JSON.readTree(text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    /** @return whether a JDK client can connect at all */
    static boolean canConnect(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
