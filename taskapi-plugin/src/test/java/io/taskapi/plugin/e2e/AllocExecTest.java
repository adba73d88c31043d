package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.spi.api.AgentRouteException;
import io.taskapi.spi.api.ExecTarget;
import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code alloc exec} through the plugin: the checks before the upgrade answer as JSON like any route, then Nomad's
 * frames over a real WebSocket (the JDK's client) to a real process. The agent's side is a small executor here that
 * runs the command as a host process: what the plugin does with it is under test, not a driver.
 */
final class AllocExecTest {
    private static final OperatorListener OPERATOR = OperatorListener.onFreePort();
    private static final String ALLOC = "9f1f9f2e-3a4b-4c5d-8e6f-70a1b2c3d4e5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Process> started = new CopyOnWriteArrayList<>();
    private volatile FilesystemIsolation isolation = FilesystemIsolation.CHROOT;
    private volatile boolean canExec = true;

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .config("http.operator-address", OPERATOR.address())
            .exec((allocationId, task) -> {
                if (!allocationId.equals(ALLOC) || !task.equals("web")) {
                    throw new AgentRouteException(404, "Unknown allocation \"" + allocationId + "\"");
                }
                return new HostTarget();
            })
            .build();

    @Test
    void everyRefusalComesBeforeTheUpgradeAsTheApisJson() throws Exception {
        String path = "/v1/client/allocation/" + ALLOC + "/exec?task=web&command=" + command("true");
        // The operator listener's anonymous caller has no policy here: no alloc-exec.
        assertThat(Curl.toTcp(OPERATOR.address()).send(path).status()).isEqualTo(403);
        Curl.Result unknown = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + UUID.randomUUID())
                .send(path);
        assertThat(unknown.status()).isEqualTo(403);

        // A task socket never answers without a credential.
        TestTask task = api.newTask("exec-caller");
        var socket = task.openSocket().hostPath();
        assertThat(Curl.to(socket).send(path).status()).isEqualTo(401);
        // A task's workload identity is not an operator: no alloc-exec into this (or any) allocation.
        assertThat(Curl.to(socket).header("Authorization: Bearer " + task.identity()).send(path).status())
                .isEqualTo(403);

        // The capability counts in the allocation's namespace, never in the one the request names.
        String elsewhere = tokenWith("namespace \"other\" { capabilities = [\"alloc-exec\", \"alloc-node-exec\"] }");
        assertThat(Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + elsewhere)
                .send(path + "&namespace=other").status()).isEqualTo(403);

        String reader = tokenWith("namespace \"default\" { policy = \"read\" }");
        Curl.Result denied = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + reader).send(path);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().path("errors").get(0).asText()).isEqualTo("Permission denied");

        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        Curl.Result plainGet = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + operator).send(path);
        assertThat(plainGet.status()).isEqualTo(400);
        assertThat(plainGet.json().path("errors").get(0).asText()).startsWith("This route needs a WebSocket");

        Curl.Result noTask = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + operator)
                .send("/v1/client/allocation/" + ALLOC + "/exec?command=" + command("true"));
        assertThat(noTask.status()).isEqualTo(400);
        assertThat(noTask.json().path("errors").get(0).asText()).isEqualTo("missing task name");
        Curl.Result badCommand = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + operator)
                .send("/v1/client/allocation/" + ALLOC + "/exec?task=web&command=sh");
        assertThat(badCommand.status()).isEqualTo(400);
        Curl.Result otherAlloc = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + operator)
                .send("/v1/client/allocation/00000000-0000-0000-0000-000000000000/exec?task=web&command="
                        + command("true"));
        assertThat(otherAlloc.status()).isEqualTo(404);

        isolation = FilesystemIsolation.NONE;   // the task sees the host: alloc-node-exec is needed too
        assertThat(Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + operator).send(path).status())
                .isEqualTo(403);
        isolation = FilesystemIsolation.CHROOT;
        canExec = false;
        Curl.Result cannot = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + operator).send(path);
        assertThat(cannot.status()).isEqualTo(400);
        assertThat(cannot.json().path("errors").get(0).asText()).contains("cannot run commands");
        assertThat(started).as("nothing started").isEmpty();
    }

    @Test
    void stdinStdoutStderrAndTheExitCodeTravelInNomadsFrames() throws Exception {
        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        Frames frames = new Frames();
        WebSocket socket = connect(operator, frames, "sh", "-c", "read line; echo \"got $line\"; echo oops >&2; exit 3");
        socket.sendText("{\"stdin\":{\"data\":\"" + base64("hello\n") + "\"}}", true).join();
        socket.sendText("{\"stdin\":{\"close\":true}}", true).join();

        List<JsonNode> received = frames.closed.get(30, TimeUnit.SECONDS);
        assertThat(decoded(received, "stdout")).isEqualTo("got hello\n");
        assertThat(decoded(received, "stderr")).isEqualTo("oops\n");
        JsonNode last = received.get(received.size() - 1);
        assertThat(last.path("exited").asBoolean()).isTrue();
        assertThat(last.path("result").path("exit_code").asInt()).as("%s", received).isEqualTo(3);
        assertThat(received).anySatisfy(frame -> assertThat(frame.path("stdout").path("close").asBoolean()).isTrue());
        assertThat(frames.closeCode).isEqualTo(1000);
    }

    @Test
    void theCommandIsKilledWhenTheClientGoesAway() throws Exception {
        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        WebSocket socket = connect(operator, new Frames(), "sleep", "300");
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());
        socket.abort();

        await().atMost(Duration.ofSeconds(10)).until(() -> !started.get(0).isAlive());
    }

    @Test
    void aClientThatReadsNoOutputStallsItsCommandNotTheServer() throws Exception {
        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        // More than the pipe, both sockets' buffers and a frame can hold: the rest must wait in the command.
        long size = 32L * 1024 * 1024;
        CountingListener stalled = new CountingListener();
        connect(operator, stalled, "head", "-c", Long.toString(size), "/dev/zero");
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());
        Process head = started.get(0);

        await().atMost(Duration.ofSeconds(30)).until(() -> wchan(head).contains("pipe_write"));
        assertThat(head.isAlive()).as("blocked on its full pipe, not buffered by the server").isTrue();
        // Its session's threads wait for it; the server's worker lanes are free for another caller.
        Curl.Result other = Curl.toTcp(OPERATOR.address()).header("X-Nomad-Token: " + operator)
                .send("/v1/client/allocation/" + ALLOC + "/exec?task=web&command=" + command("true"));
        assertThat(other.status()).isEqualTo(400);

        stalled.socket.request(Long.MAX_VALUE);
        assertThat(stalled.exitCode.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(stalled.stdoutBytes.get()).isEqualTo(size);
    }

    @Test
    void anOversizedFrameEndsTheSessionAndItsCommand() throws Exception {
        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        Frames frames = new Frames();
        WebSocket socket = connect(operator, frames, "sleep", "300");
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());

        String huge = "{\"stdin\":{\"data\":\"" + "A".repeat(1024 * 1024) + "\"}}";
        // The server may close while the frame is still being sent: the close is what counts.
        CompletableFuture<WebSocket> sent = socket.sendText(huge, true);
        sent.exceptionally(error -> socket);

        frames.closed.exceptionally(error -> List.of()).get(30, TimeUnit.SECONDS);
        assertThat(frames.closeCode).as("message too big").isEqualTo(1009);
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.get(0).isAlive());
    }

    @Test
    void stdinThatIsNotBase64EndsTheSessionAndTheCommand() throws Exception {
        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        Frames frames = new Frames();
        WebSocket socket = connect(operator, frames, "sleep", "300");
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());

        socket.sendText("{\"stdin\":{\"data\":\"not base64!\"}}", true).join();

        frames.closed.get(30, TimeUnit.SECONDS);
        assertThat(frames.closeCode).as("unsupported data").isEqualTo(1003);
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.get(0).isAlive());
    }

    @Test
    void aFrameThatIsNotAnObjectEndsTheSessionAndTheCommand() throws Exception {
        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        Frames frames = new Frames();
        WebSocket socket = connect(operator, frames, "sleep", "300");
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.isEmpty());

        socket.sendText("[1,2]", true).join();

        frames.closed.get(30, TimeUnit.SECONDS);
        assertThat(frames.closeCode).as("unsupported data").isEqualTo(1003);
        await().atMost(Duration.ofSeconds(10)).until(() -> !started.get(0).isAlive());
    }

    @Test
    void theExitFrameComesAfterAllOutputAndAKilledCommandReportsItsSignal() throws Exception {
        String operator = tokenWith("namespace \"default\" { capabilities = [\"alloc-exec\"] }");
        Frames frames = new Frames();
        connect(operator, frames, "sh", "-c", "head -c 1000000 /dev/zero; kill -9 $$");

        List<JsonNode> received = frames.closed.get(60, TimeUnit.SECONDS);
        assertThat(Base64.getDecoder().decode(decodedRaw(received))).hasSize(1_000_000);
        JsonNode last = received.get(received.size() - 1);
        assertThat(last.path("exited").asBoolean()).isTrue();
        assertThat(last.path("result").path("exit_code").asInt()).isEqualTo(128 + 9);
    }

    @Nested
    final class Connections {
        private final OperatorListener operatorListener = OperatorListener.onFreePort();

        @RegisterExtension
        final TaskApiExtension limited = TaskApiExtension.builder()
                .config("http.operator-address", operatorListener.address())
                .config("http.operator-max-connections", "2")
                .exec((allocationId, task) -> new HostTarget())
                .build();

        @Test
        void sessionsCountAgainstTheListenersConnectionLimit() throws Exception {
            String operator = limited.tokens().createManagementToken("admin").secretId();
            List<WebSocket> sessions = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                sessions.add(HttpClient.newHttpClient().newWebSocketBuilder().header("X-Nomad-Token", operator)
                        .buildAsync(URI.create("ws://" + operatorListener.address() + "/v1/client/allocation/" + ALLOC
                                + "/exec?task=web&command=" + command("sleep", "300")), new Frames()).join());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);

            try (Socket third = new Socket("127.0.0.1", operatorListener.port())) {
                third.setSoTimeout(30_000);
                assertThat(third.getInputStream().read()).as("closed at once").isEqualTo(-1);
            }
            sessions.forEach(WebSocket::abort);
        }
    }

    private WebSocket connect(String token, WebSocket.Listener frames, String... argv) {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("X-Nomad-Token", token)
                .buildAsync(URI.create("ws://" + OPERATOR.address() + "/v1/client/allocation/" + ALLOC
                        + "/exec?task=web&command=" + command(argv)), frames).join();
    }

    private String tokenWith(String rules) throws Exception {
        String name = "p" + started.hashCode() + rules.hashCode();
        api.policies().put(new AclPolicy(name.replace('-', 'm'), "", rules, Optional.empty(), 0, 0));
        return api.tokens().createClientToken("exec", List.of(name.replace('-', 'm'))).secretId();
    }

    private static String command(String... argv) {
        try {
            return URLEncoder.encode(JSON.writeValueAsString(argv), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decoded(List<JsonNode> frames, String stream) {
        StringBuilder text = new StringBuilder();
        for (JsonNode frame : frames) {
            String data = frame.path(stream).path("data").asText("");
            text.append(new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static String wchan(Process process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "wchan"));
        } catch (IOException e) {
            return "";
        }
    }

    private static String decodedRaw(List<JsonNode> frames) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (JsonNode frame : frames) {
            bytes.writeBytes(Base64.getDecoder().decode(frame.path("stdout").path("data").asText("")));
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Counts stdout and keeps the exit code; reads nothing until told to ({@code socket.request}). */
    private static final class CountingListener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        private volatile WebSocket socket;
        private final java.util.concurrent.atomic.AtomicLong stdoutBytes = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    stdoutBytes.addAndGet(Base64.getDecoder().decode(frame.path("stdout").path("data").asText("")).length);
                    if (frame.path("exited").asBoolean()) {
                        exitCode.complete(frame.path("result").path("exit_code").asInt());
                    }
                } catch (IOException e) {
                    exitCode.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            exitCode.completeExceptionally(error);
        }
    }

    /** The frames the server sent, complete when it closes. */
    private static final class Frames implements WebSocket.Listener {
        private final List<JsonNode> received = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<List<JsonNode>> closed = new CompletableFuture<>();
        private volatile int closeCode;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    closed.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode = statusCode;
            closed.complete(received);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    /** The agent's side: the command as a host process. */
    private final class HostTarget implements ExecTarget {
        @Override
        public String namespace() {
            return "default";
        }

        @Override
        public FilesystemIsolation isolation() {
            return isolation;
        }

        @Override
        public boolean canExec() {
            return canExec;
        }

        @Override
        public ExecProcess start(ExecCommand command) throws AgentRouteException {
            Process process;
            try {
                process = new ProcessBuilder(command.argv()).start();
            } catch (IOException e) {
                throw new AgentRouteException(500, "cannot start " + command.argv().get(0));
            }
            started.add(process);
            return new ExecProcess() {
                @Override
                public OutputStream stdin() {
                    return process.getOutputStream();
                }

                @Override
                public InputStream stdout() {
                    return process.getInputStream();
                }

                @Override
                public InputStream stderr() {
                    return process.getErrorStream();
                }

                @Override
                public CompletionStage<Integer> exitCode() {
                    return process.onExit().thenApply(Process::exitValue);
                }

                @Override
                public void kill() {
                    process.destroyForcibly();
                }
            };
        }
    }
}
