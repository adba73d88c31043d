package io.taskapi.plugin.lifecycle;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one Task API opened that must be closed, in the order it was created. {@link #close} closes it in
 * reverse: what was created last depends on what came before, so it goes first. A close that fails is logged and the
 * rest are still closed. Thread-safe.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    // guarded by this
    private final Deque<Registered> open = new ArrayDeque<>();
    private boolean closed;

    /**
     * Registers something to close when the Task API stops.
     *
     * @param name what it is, for the log
     * @param closeable how to close it
     * @throws IllegalStateException when the lifecycle is closed already (the caller must close it itself)
     */
    public synchronized void register(String name, AutoCloseable closeable) {
        requireNonNull(name, "name is null");
        requireNonNull(closeable, "closeable is null");
        if (closed) {
            throw new IllegalStateException("the Task API is stopped; cannot register " + name);
        }
        open.push(new Registered(name, closeable));
    }

    /** Closes everything registered, last registered first. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!open.isEmpty()) {
            Registered next = open.pop();
            try {
                next.closeable.close();
            } catch (Exception | LinkageError e) {
                LOG.warn("{} did not close cleanly; closing the rest", next.name, e);
            }
        }
    }

    private record Registered(String name, AutoCloseable closeable) {}
}
