package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of the agent's jobs and allocations, the plugin's {@link AgentStateIndex}: every change a query of the
 * job and allocation routes would show takes the next number with {@link #reserve()} and gives it back with
 * {@link #release} once the change is visible. {@link #index()} is the highest number below which every change is
 * visible (Raft's commit index, in one process), so a query that read it never misses one of those changes even when
 * changes made on several threads finish out of order. It starts at 1 and, read back from the job and allocation
 * records ({@link #raiseTo}), carries on above every index handed out before a restart.
 */
final class StateIndex implements AgentStateIndex {
    private static final Logger LOG = LoggerFactory.getLogger(StateIndex.class);

    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    /** Numbers handed out and not given back yet; guarded by this. */
    private final TreeSet<Long> pending = new TreeSet<>();
    /** The highest number handed out; guarded by this. */
    private long last = 1;
    /** The index reported; guarded by this. */
    private long published = 1;

    /**
     * Raises the index to one read back from the records, before any change.
     *
     * @param index an index a record carries
     */
    synchronized void raiseTo(long index) {
        if (index > last) {
            last = index;
            if (pending.isEmpty()) {
                published = last;
            }
        }
    }

    /**
     * @return the number of a change about to be made (or made under a lock the caller still holds); hand it back
     *     with {@link #release}, in a {@code finally}, or the index stops moving
     */
    synchronized long reserve() {
        long next = ++last;
        pending.add(next);
        return next;
    }

    /**
     * The change numbered {@code number} is visible: the index moves up to the highest number below which every
     * change is, and the listeners hear of it (on this thread; the plugin's never blocks).
     *
     * @param number what {@link #reserve()} returned
     */
    void release(long number) {
        long now;
        synchronized (this) {
            if (!pending.remove(number)) {
                throw new IllegalStateException("index " + number + " was not reserved or was released already");
            }
            long visible = pending.isEmpty() ? last : pending.first() - 1;
            if (visible <= published) {
                return;
            }
            published = visible;
            now = visible;
        }
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(now);
            } catch (RuntimeException e) {
                LOG.warn("a state index listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public synchronized long index() {
        return published;
    }

    @Override
    public Subscription onChange(LongConsumer listener) {
        requireNonNull(listener, "listener is null");
        LongConsumer entry = listener::accept; // one entry per subscription, as AllocationStore does
        listeners.add(entry);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                listeners.remove(entry);
            }
        };
    }
}
