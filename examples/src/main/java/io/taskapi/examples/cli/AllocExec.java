package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of {@code alloc exec}: Nomad's JSON frames over the agent's WebSocket. Standard input goes to the
 * command in frames as it is read (and its end as a close), the command's output comes back to this process's
 * standard output and error byte for byte, and the command's exit code is returned. With a terminal, the local one is
 * put in raw mode for the session (with {@code stty}, restored at the end) and its size is sent at the start and
 * whenever it changes (looked at twice a second: Java has no portable {@code SIGWINCH}).
 */
final class AllocExec implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File TERMINAL = new File("/dev/tty");

    private final PrintStream out;
    private final PrintStream err;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    AllocExec(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the session to its end.
     *
     * @param client the agent
     * @param path the exec route with its query
     * @param stdin what to send as the command's input, if anything
     * @param tty whether the command has a terminal (then the local one is made raw)
     * @return the command's exit code
     * @throws IOException when the agent cannot be reached, refuses, or the session breaks
     */
    int run(ApiClient client, String path, Optional<InputStream> stdin, boolean tty) throws IOException {
        Optional<String> savedTerminal = tty ? stty("-g") : Optional.empty();
        try {
            savedTerminal.ifPresent(saved -> stty("raw", "-echo"));
            WebSocket socket = client.webSocket(path, this);
            Thread resizer = null;
            if (savedTerminal.isPresent()) {
                resizer = daemon(() -> followTerminalSize(socket), "terminal-size");
            }
            if (stdin.isPresent()) {
                daemon(() -> sendInput(socket, stdin.get()), "stdin");
            } else {
                send(socket, closeInput());
            }
            try {
                return exitCode.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            } finally {
                if (resizer != null) {
                    resizer.interrupt();
                }
                socket.abort();
            }
        } finally {
            savedTerminal.ifPresent(saved -> stty(saved));
            out.flush();
            err.flush();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frame(JSON.readTree(partial.toString()));
            } catch (IOException e) {
                exitCode.completeExceptionally(new IOException("the agent sent a frame that is not JSON"));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!exitCode.isDone()) {
            exitCode.completeExceptionally(new IOException(reason == null || reason.isEmpty()
                    ? "the agent closed the session (" + statusCode + ")" : reason));
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        exitCode.completeExceptionally(new IOException("the session broke: " + error.getMessage(), error));
    }

    private void frame(JsonNode frame) {
        write(frame.path("stdout"), out);
        write(frame.path("stderr"), err);
        if (frame.path("exited").asBoolean(false)) {
            out.flush();
            err.flush();
            exitCode.complete(frame.path("result").path("exit_code").asInt(0));
        }
    }

    private static void write(JsonNode stream, PrintStream to) {
        byte[] data = Base64.getDecoder().decode(stream.path("data").asText(""));
        if (data.length > 0) {
            to.write(data, 0, data.length);
            to.flush();
        }
    }

    private void sendInput(WebSocket socket, InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0 && !exitCode.isDone(); read = in.read(buffer)) {
                if (read > 0) {
                    ObjectNode frame = JSON.createObjectNode();
                    frame.putObject("stdin").put("data", Base64.getEncoder().encodeToString(
                            Arrays.copyOf(buffer, read)));
                    send(socket, frame);
                }
            }
            send(socket, closeInput());
        } catch (IOException e) {
            // Our input is gone or the session ended: the command's exit still arrives (or the session's error).
        }
    }

    private static ObjectNode closeInput() {
        ObjectNode close = JSON.createObjectNode();
        close.putObject("stdin").put("close", true);
        return close;
    }

    private void followTerminalSize(WebSocket socket) {
        String last = "";
        while (!exitCode.isDone()) {
            Optional<String> size = stty("size");
            if (size.isPresent() && !size.get().equals(last)) {
                last = size.get();
                String[] rowsColumns = last.trim().split("\\s+");
                if (rowsColumns.length == 2) {
                    ObjectNode frame = JSON.createObjectNode();
                    frame.putObject("tty_size").put("height", Integer.parseInt(rowsColumns[0]))
                            .put("width", Integer.parseInt(rowsColumns[1]));
                    try {
                        send(socket, frame);
                    } catch (IOException e) {
                        return;
                    }
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One frame at a time: the JDK's WebSocket refuses a send while another is pending (IllegalStateException), and
     * input and terminal sizes are sent from two threads.
     */
    private synchronized void send(WebSocket socket, ObjectNode frame) throws IOException {
        try {
            socket.sendText(frame.toString(), true).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the session broke", e);
        }
    }

    /** {@code stty ARGS < /dev/tty}: its output, or empty when there is no terminal or it fails. */
    private static Optional<String> stty(String... args) {
        if (!TERMINAL.canRead()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectInput(TERMINAL)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, "alloc-exec-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
