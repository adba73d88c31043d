package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code onChange} subscribers of an in-memory store. A listener that throws breaks the SPI's contract; the
 * exception reaches the caller after every listener has run, so that a test sees it.
 */
final class ChangeListeners {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    Subscription subscribe(Runnable listener) {
        requireNonNull(listener, "listener is null");
        // A wrapper per subscription, so that the same listener subscribed twice is removed once per close.
        Runnable entry = listener::run;
        listeners.add(entry);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                listeners.remove(entry);
            }
        };
    }

    /** Calls every listener, on the calling thread; call it after the change, outside any lock. */
    void changed() {
        RuntimeException failure = null;
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("an onChange listener threw", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    int count() {
        return listeners.size();
    }
}
