package io.taskapi.testing;

import io.taskapi.spi.AgentContext;
import io.taskapi.spi.SpiVersion;
import io.taskapi.spi.TaskApi;
import io.taskapi.spi.TaskApiProvider;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Task API that serves every socket with {@link TinyUnixHttpServer}, for testing the extension. */
public final class FakeTaskApiProvider implements TaskApiProvider {
    /** The fake's name. */
    public static final String NAME = "fake";

    /**
     * Needed by ServiceLoader. {@link #start} refuses a configuration holding {@code fail}, as a plugin refuses a bad
     * key.
     */
    public FakeTaskApiProvider() {}

    @Override
    public SpiVersion spiVersion() {
        return SpiVersion.parse(SpiVersion.COMPILED);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FakeTaskApi start(AgentContext context) {
        if (context.config().containsKey("fail")) {
            throw new IllegalArgumentException("unknown Task API settings [fail]");
        }
        return new FakeTaskApi(context);
    }

    /** A second provider, to test choosing among several. */
    public static final class Other implements TaskApiProvider {
        /** Needed by ServiceLoader. */
        public Other() {}

        @Override
        public SpiVersion spiVersion() {
            return SpiVersion.parse(SpiVersion.COMPILED);
        }

        @Override
        public String name() {
            return "other";
        }

        @Override
        public TaskApi start(AgentContext context) {
            throw new UnsupportedOperationException("never started in these tests");
        }
    }

    /** The running fake. */
    public static final class FakeTaskApi implements TaskApi {
        private final AgentContext context;
        private final List<FakeSocketMount> mounts = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        FakeTaskApi(AgentContext context) {
            this.context = context;
        }

        AgentContext context() {
            return context;
        }

        List<FakeSocketMount> mounts() {
            return List.copyOf(mounts);
        }

        boolean closed() {
            return closed;
        }

        @Override
        public SocketMount openSocket(SocketRequest request) throws SocketUnavailableException {
            if (closed) {
                throw new SocketUnavailableException(SocketUnavailableException.Reason.CLOSED, "closed");
            }
            try {
                FakeSocketMount mount = FakeSocketMount.open(request, Path.of(context.config().get("socket.link-dir")));
                mounts.add(mount);
                return mount.mount();
            } catch (IOException e) {
                throw new SocketUnavailableException(SocketUnavailableException.Reason.IO_FAILURE, e.getMessage(), e);
            }
        }

        @Override
        public void release(TaskRef task) {
            mounts.stream().filter(mount -> mount.request().task().equals(task)).forEach(FakeSocketMount::close);
        }

        @Override
        public void close() {
            closed = true;
            mounts.forEach(FakeSocketMount::close);
        }
    }
}
