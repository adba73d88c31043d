package io.taskapi.plugin.api.exec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.api.AgentRouteException;
import io.taskapi.spi.api.ExecTarget;
import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code alloc exec} over a WebSocket, in Nomad's frame protocol ({@code plugins/drivers} {@code
 * ExecTaskStreamingRequestMsg} / {@code ExecTaskStreamingResponseMsg}, as JSON text frames with base64 data):
 * <ul>
 *   <li>in: {@code {"stdin":{"data":"…"}}}, {@code {"stdin":{"close":true}}}, {@code {"tty_size":{"height":H,
 *       "width":W}}};</li>
 *   <li>out: {@code {"stdout":{"data":"…"}}}, {@code {"stderr":{"data":"…"}}}, {@code {"stdout":{"close":true}}} at
 *       the end of a stream, and last {@code {"exited":true,"result":{"exit_code":N}}}, then a normal close.</li>
 * </ul>
 * Back-pressure both ways, so that no client holds more than a frame of memory: output is read only as fast as the
 * client takes frames (each send waits for the last), and the next frame in is read only once the last one's input
 * has reached the command ({@link Session#demand()} after the write, on the session's own input thread, never on
 * Jetty's). The command is killed when the connection goes, however it goes.
 */
public final class ExecSession implements Session.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);
    private static final int CHUNK = 16 * 1024;

    private final ExecTarget target;
    private final ExecCommand command;
    private final ObjectMapper mapper;
    // Input to the command: one thread, so that a command that does not read blocks this session only.
    private final ExecutorService input = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "stdin"));
    private final Object sending = new Object();
    private volatile Session session;
    private volatile ExecProcess process;

    ExecSession(ExecTarget target, ExecCommand command, ObjectMapper mapper) {
        this.target = requireNonNull(target, "target is null");
        this.command = requireNonNull(command, "command is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        try {
            process = target.start(command);
        } catch (AgentRouteException | RuntimeException e) {
            String reason = e instanceof AgentRouteException refused ? String.join("; ", refused.messages())
                    : "the command could not be started";
            LOG.warn("alloc exec could not start: {}", reason);
            opened.close(StatusCode.SERVER_ERROR, truncate(reason), Callback.NOOP);
            input.shutdown();
            return;
        }
        CompletableFuture<Void> stdout = pump(process.stdout(), "stdout");
        CompletableFuture<Void> stderr = pump(process.stderr(), "stderr");
        // The exit frame comes last: after every byte of output has been sent.
        CompletableFuture<Integer> exit = process.exitCode().toCompletableFuture();
        daemon(() -> {
            int code = -1;
            try {
                CompletableFuture.allOf(stdout, stderr).join();
                code = exit.join();
            } catch (RuntimeException e) {
                LOG.debug("alloc exec: the command's exit is unknown: {}", e.toString());
            }
            finish(code);
        }, "exit").start();
        opened.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        JsonNode frame;
        try {
            frame = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            frame = null;
        }
        if (frame == null || !frame.isObject()) {
            session.close(StatusCode.BAD_DATA, "a frame is a JSON object", Callback.NOOP);
            return;
        }
        JsonNode stdin = frame.path("stdin");
        JsonNode size = frame.path("tty_size");
        byte[] data;
        try {
            data = Base64.getDecoder().decode(stdin.path("data").asText(""));
        } catch (IllegalArgumentException e) {
            // Dropping it would lose the operator's input without a word (Nomad fails the session too).
            session.close(StatusCode.BAD_DATA, "stdin data is not base64", Callback.NOOP);
            return;
        }
        boolean close = stdin.path("close").asBoolean(false);
        input.execute(() -> {
            try {
                if (stdin.isObject()) {
                    write(data, close);
                }
                if (size.isObject()) {
                    process.resize(size.path("height").asInt(), size.path("width").asInt());
                }
                session.demand();
            } catch (IOException | RuntimeException e) {
                // The command closed its input or ended: further input has nowhere to go; its exit ends the session.
                session.demand();
            }
        });
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        session.close(StatusCode.BAD_DATA, "frames are JSON text", Callback.NOOP);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        ended();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("alloc exec connection failed", cause);
        ended();
    }

    private void write(byte[] data, boolean close) throws IOException {
        OutputStream in = process.stdin();
        if (data.length > 0) {
            in.write(data);
            in.flush();
        }
        if (close) {
            in.close();
        }
    }

    /** Copies a stream into frames on a thread of its own, then sends its close frame. */
    private CompletableFuture<Void> pump(InputStream from, String stream) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        daemon(() -> {
            byte[] buffer = new byte[CHUNK];
            try (from) {
                for (int read = from.read(buffer); read >= 0; read = from.read(buffer)) {
                    if (read > 0) {
                        ObjectNode frame = mapper.createObjectNode();
                        frame.putObject(stream).put("data", Base64.getEncoder().encodeToString(
                                Arrays.copyOf(buffer, read)));
                        send(frame);
                    }
                }
                ObjectNode close = mapper.createObjectNode();
                close.putObject(stream).put("close", true);
                send(close);
            } catch (IOException | RuntimeException e) {
                LOG.debug("alloc exec {} ended: {}", stream, e.toString());
            } finally {
                done.complete(null);
            }
        }, stream).start();
        return done;
    }

    private void finish(int code) {
        ObjectNode exited = mapper.createObjectNode().put("exited", true);
        exited.putObject("result").put("exit_code", code);
        try {
            send(exited);
        } catch (IOException e) {
            LOG.debug("alloc exec: the exit frame could not be sent: {}", e.toString());
        }
        session.close(StatusCode.NORMAL, "", Callback.NOOP);
        input.shutdown();
    }

    /** Sends a frame and waits until it is written: one at a time, at the client's pace. */
    private void send(ObjectNode frame) throws IOException {
        synchronized (sending) {
            Callback.Completable written = new Callback.Completable();
            session.sendText(frame.toString(), written);
            try {
                written.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IOException("the connection failed", e.getCause());
            }
        }
    }

    /** The client went away (or the command ended and the session closed): nothing may outlive the connection. */
    private void ended() {
        ExecProcess running = process;
        if (running != null) {
            running.kill();
        }
        input.shutdownNow();
    }

    private static String truncate(String reason) {
        // A close frame's reason is at most 123 bytes.
        return reason.length() > 80 ? reason.substring(0, 80) + "..." : reason;
    }

    private static Thread daemon(Runnable runnable, String stream) {
        Thread thread = new Thread(runnable, "alloc-exec-" + stream);
        thread.setDaemon(true);
        return thread;
    }
}
