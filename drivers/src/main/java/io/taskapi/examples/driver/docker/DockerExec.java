package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.ExecProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command running in a container through the engine's exec API, on the connection the engine hijacked
 * ({@link DockerEngine#startExec}). One thread reads that connection and splits it into the command's stdout and
 * stderr (the engine's 8-byte-headed frames; with a terminal the stream is raw and all of it is stdout), into pipes
 * the caller reads at its own pace; input is written straight to the connection, and its end is a half-close. When the
 * output ends, the exec's exit code is asked of the engine.
 */
final class DockerExec implements ExecProcess {
    private static final Logger LOG = LoggerFactory.getLogger(DockerExec.class);
    private static final int PIPE_BYTES = 64 * 1024;
    private static final int EXIT_POLLS = 50;

    private final DockerEngine engine;
    private final String execId;
    private final SocketChannel channel;
    private final PipedInputStream stdout = new PipedInputStream(PIPE_BYTES);
    private final PipedInputStream stderr = new PipedInputStream(PIPE_BYTES);
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    DockerExec(DockerEngine engine, String execId, SocketChannel channel, boolean tty) throws IOException {
        this.engine = requireNonNull(engine, "engine is null");
        this.execId = requireNonNull(execId, "execId is null");
        this.channel = requireNonNull(channel, "channel is null");
        PipedOutputStream out = new PipedOutputStream(stdout);
        PipedOutputStream err = new PipedOutputStream(stderr);
        Thread reader = new Thread(() -> copyOutput(tty, out, err), "docker-exec-" + execId.substring(0, 12));
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public OutputStream stdin() {
        // Straight to the channel, not Channels.newOutputStream: that one takes the lock the blocked reader holds.
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public void close() throws IOException {
                if (channel.isOpen()) {
                    channel.shutdownOutput();
                }
            }
        };
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public void resize(int height, int width) {
        try {
            engine.resizeExec(execId, height, width);
        } catch (IOException e) {
            LOG.debug("docker exec {}: resize failed: {}", execId, e.getMessage());
        }
    }

    @Override
    public CompletionStage<Integer> exitCode() {
        return exitCode;
    }

    /**
     * The engine has no call to stop an exec: its process is killed by its pid on the host (the agent runs on the
     * engine's host), and the connection is closed.
     */
    @Override
    public void kill() {
        try {
            // An ended exec keeps its pid in the engine's answer, a pid the host may have given another process since:
            // only a running one is killed (a session's end calls this after every command, ended or not).
            DockerEngine.ExecState state = exitCode.isDone() ? null : engine.inspectExec(execId);
            if (state != null && state.running() && state.pid() > 0) {
                ProcessHandle.of(state.pid()).ifPresent(process -> {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                });
            }
        } catch (IOException e) {
            LOG.debug("docker exec {}: cannot find its process: {}", execId, e.getMessage());
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private void copyOutput(boolean tty, PipedOutputStream out, PipedOutputStream err) {
        try (InputStream in = Channels.newInputStream(channel); out; err) {
            if (tty) {
                in.transferTo(out);
            } else {
                byte[] header = new byte[8];
                while (in.readNBytes(header, 0, 8) == 8) {
                    int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                            | (header[7] & 0xff);
                    byte[] payload = in.readNBytes(length);
                    (header[0] == 2 ? err : out).write(payload);
                    (header[0] == 2 ? err : out).flush();
                }
            }
        } catch (IOException e) {
            LOG.debug("docker exec {}: output ended: {}", execId, e.getMessage());
        }
        exitCode.complete(awaitExitCode());
    }

    /** The engine marks the exec ended shortly after its output ends. */
    private int awaitExitCode() {
        for (int poll = 0; poll < EXIT_POLLS; poll++) {
            try {
                DockerEngine.ExecState state = engine.inspectExec(execId);
                if (!state.running()) {
                    return state.exitCode();
                }
                Thread.sleep(100);
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }
}
