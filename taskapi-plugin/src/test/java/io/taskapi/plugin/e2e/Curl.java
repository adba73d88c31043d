package io.taskapi.plugin.e2e;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real curl against a task socket, the way a workload would, optionally as another user through setpriv.
 * Connects with a relative socket path from the socket's directory, so that secrets paths of any length work.
 */
final class Curl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final String tcpAddress;
    private final List<String> headers = new ArrayList<>();
    private OptionalInt uid = OptionalInt.empty();
    private String method = "GET";
    private String data;

    private Curl(Path socket, String tcpAddress) {
        this.socket = socket;
        this.tcpAddress = tcpAddress;
    }

    static Curl to(Path socket) {
        return new Curl(requireNonNull(socket, "socket is null"), null);
    }

    static Curl toTcp(String hostAndPort) {
        return new Curl(null, requireNonNull(hostAndPort, "hostAndPort is null"));
    }

    Curl data(String body) {
        this.data = body;
        return this;
    }

    Curl header(String header) {
        headers.add(header);
        return this;
    }

    Curl method(String method) {
        this.method = method;
        return this;
    }

    Curl asUser(int uid) {
        this.uid = OptionalInt.of(uid);
        return this;
    }

    Result send(String target) {
        List<String> command = new ArrayList<>();
        if (uid.isPresent()) {
            command.addAll(List.of("setpriv", "--reuid=" + uid.getAsInt(), "--regid=" + uid.getAsInt(),
                    "--clear-groups"));
        }
        command.addAll(List.of("curl", "-sS", "--max-time", "10", "-X", method, "-w", "\n%{http_code}"));
        if (socket != null) {
            command.addAll(List.of("--unix-socket", socket.getFileName().toString()));
        }
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        if (data != null) {
            command.addAll(List.of("--data-binary", data));
        }
        command.add("http://" + (socket != null ? "localhost" : tcpAddress) + target);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (socket != null) {
            builder.directory(socket.getParent().toFile());
        }
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("curl did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            int split = text.lastIndexOf('\n');
            int status = split < 0 || text.substring(split + 1).isBlank() ? 0
                    : Integer.parseInt(text.substring(split + 1).trim());
            return new Result(process.exitValue(), status, split < 0 ? "" : text.substring(0, split), err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exitCode, int status, String body, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }
}
