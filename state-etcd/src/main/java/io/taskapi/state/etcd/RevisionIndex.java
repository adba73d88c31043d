package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** The highest etcd revision of a change that one connection's caches have applied, as an index for the plugin. */
final class RevisionIndex implements AgentStateIndex {
    private final List<WatchedPrefix<?>> caches = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong highest = new AtomicLong(1);

    void add(WatchedPrefix<?> cache) {
        caches.add(cache);
    }

    /** A cache applied a change: raises the index to it and tells the listeners. */
    void changed() {
        long before = highest.get();
        long now = index();
        if (now > before) {
            for (LongConsumer listener : listeners) {
                listener.accept(now);
            }
        }
    }

    @Override
    public long index() {
        long max = 1;
        for (WatchedPrefix<?> cache : caches) {
            max = Math.max(max, cache.lastChange());
        }
        return highest.accumulateAndGet(max, Math::max);
    }

    @Override
    public Subscription onChange(LongConsumer listener) {
        requireNonNull(listener, "listener is null");
        LongConsumer wrapper = listener::accept; // one per subscription: the same listener twice is closed once each
        listeners.add(wrapper);
        return () -> listeners.remove(wrapper);
    }
}
