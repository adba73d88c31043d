package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.state.EmbeddedDatabase.Topic;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears of committed changes: listeners of one {@link Topic}, and listeners of every change. A listener is called
 * on the writing thread after the commit; one that throws is logged and does not keep the others from hearing.
 */
final class ChangeBus {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeBus.class);

    private record Listener(Topic topic, Runnable runnable) {}

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param topic the changes to hear of; null for all
     * @param runnable called after a commit; must be quick
     * @return closing it stops the notifications
     */
    Subscription subscribe(Topic topic, Runnable runnable) {
        Listener listener = new Listener(topic, requireNonNull(runnable, "listener is null"));
        listeners.add(listener);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                listeners.remove(listener);
            }
        };
    }

    /** @param topic what a committed write changed */
    void publish(Topic topic) {
        for (Listener listener : listeners) {
            if (listener.topic() == null || listener.topic() == topic) {
                try {
                    listener.runnable().run();
                } catch (RuntimeException e) {
                    // The write is durable and must be reported as done: a broken listener cannot undo it.
                    LOG.warn("An embedded state change listener ({}) threw", listener.runnable().getClass().getName(),
                            e);
                }
            }
        }
    }
}
