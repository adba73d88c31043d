package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.Subscription;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of what the API's answers reflect, like Nomad's Raft index and its per-table indexes: one monotonically
 * increasing counter, and for each {@link Watch} the counter's value at its last change. Answers carry it in
 * {@code X-Nomad-Index}; blocking queries wait here for it to pass the index they were given.
 *
 * <p>A change is recorded by {@link #changed}: the chain calls it after every successful write through a route that
 * watches the part, and the stores' own change notifications call it for changes made elsewhere (the agent, another
 * replica). A write that already changed its part (a store notification during the request) is not counted twice.
 *
 * <p>A part whose state has an owner that keeps its own index (the agent's jobs and allocations, with an
 * {@link io.taskapi.spi.api.AgentStateIndex}) is {@linkplain #follow followed}: its index is the owner's, so that the
 * answers' {@code X-Nomad-Index} and the owner's own indexes are in one space, and only the owner moves it.
 *
 * <p>Waiting costs a small object per blocked query in a per-part set, never a thread: {@link #await} registers a
 * callback, {@link #changed} runs the callbacks of the part on the writing thread (they only hand the request back to
 * the worker pool).
 */
public final class QueryIndex {
    private static final Logger LOG = LoggerFactory.getLogger(QueryIndex.class);

    private final AtomicLong latest = new AtomicLong(1);
    private final Map<Watch, AtomicLong> indexes = new EnumMap<>(Watch.class);
    private final Map<Watch, Set<Waiter>> waiters = new EnumMap<>(Watch.class);
    private final Set<Watch> followed = ConcurrentHashMap.newKeySet();

    /** Starts at index 1 for every part: Nomad never answers a query with index 0 (a blocking client would spin). */
    public QueryIndex() {
        for (Watch watch : Watch.values()) {
            indexes.put(watch, new AtomicLong(1));
            waiters.put(watch, ConcurrentHashMap.newKeySet());
        }
    }

    /**
     * Raises the counter to at least a store's own index, so that the indexes the stores put in their answers (a
     * variable's {@code ModifyIndex}) and the ones this class hands out are in one space.
     *
     * @param index a store's current index
     */
    public void raiseTo(long index) {
        latest.accumulateAndGet(index, Math::max);
    }

    /** @return the highest index handed out: the index of an answer that watches nothing in particular */
    public long latest() {
        return latest.get();
    }

    /**
     * @param watches the parts an answer reflects; none means the whole state
     * @return the highest of their indexes, at least 1
     */
    public long index(Set<Watch> watches) {
        if (watches.isEmpty()) {
            return latest();
        }
        long index = 1;
        for (Watch watch : watches) {
            index = Math.max(index, indexes.get(watch).get());
        }
        return index;
    }

    /**
     * Records a change of a part and wakes the queries waiting on it.
     *
     * @param watch what changed
     * @param atLeast the index of the change if the store assigned one (0 if not): the new index is above both it
     *     and every index handed out before
     * @return the change's index
     */
    public long changed(Watch watch, long atLeast) {
        if (followed.contains(watch)) {
            // Its owner says when it changed, with its own index (follow); a write through a route is not a change.
            return indexes.get(watch).get();
        }
        long index = latest.accumulateAndGet(atLeast, (current, floor) -> Math.max(current + 1, floor));
        indexes.get(watch).accumulateAndGet(index, Math::max);
        wake(watch);
        return index;
    }

    /**
     * Makes a part's index its owner's from now on, and records the owner's index after a change: the part's index
     * becomes {@code ownerIndex} if that is higher (reports may come out of order), the counter is raised to it, and
     * the part's waiting queries wake. {@link #changed} no longer moves the part.
     *
     * @param watch the part
     * @param ownerIndex the owner's index (an index below 1 counts as 1)
     */
    public void follow(Watch watch, long ownerIndex) {
        followed.add(watch);
        long index = Math.max(1, ownerIndex);
        latest.accumulateAndGet(index, Math::max);
        if (indexes.get(watch).getAndAccumulate(index, Math::max) < index) {
            wake(watch);
        }
    }

    private void wake(Watch watch) {
        List<Waiter> woken = new ArrayList<>();
        for (Waiter waiter : waiters.get(watch)) {
            if (waiter.fired.compareAndSet(false, true)) {
                woken.add(waiter);
            }
        }
        for (Waiter waiter : woken) {
            waiter.remove();
            waiter.fire();
        }
    }

    /**
     * Calls {@code wake} once, as soon as one of the parts has an index above {@code seen}: at once if one already
     * has, otherwise from the thread that records the change.
     *
     * @param watches the parts to watch; not empty
     * @param seen the index the waiting query's state was read at
     * @param wake what to do; must be quick (hand the work on) and must not throw
     * @return closing it stops the wait without calling {@code wake} (if it has not been called)
     */
    public Subscription await(Set<Watch> watches, long seen, Runnable wake) {
        if (watches.isEmpty()) {
            throw new IllegalArgumentException("a wait watches at least one part of the state");
        }
        Waiter waiter = new Waiter(Set.copyOf(watches), requireNonNull(wake, "wake is null"));
        for (Watch watch : waiter.watches) {
            waiters.get(watch).add(waiter);
        }
        // Registered before looking: a change between the caller's read and this point is seen here, one after it
        // finds the waiter.
        if (index(waiter.watches) > seen && waiter.fired.compareAndSet(false, true)) {
            waiter.remove();
            waiter.fire();
        }
        return () -> {
            if (waiter.fired.compareAndSet(false, true)) {
                waiter.remove();
            }
        };
    }

    /** @return how many queries wait, over every part, for the metrics and the tests */
    public int waiting() {
        Set<Waiter> all = new java.util.HashSet<>();
        waiters.values().forEach(all::addAll);
        return all.size();
    }

    private final class Waiter {
        private final Set<Watch> watches;
        private final Runnable wake;
        private final AtomicBoolean fired = new AtomicBoolean();

        Waiter(Set<Watch> watches, Runnable wake) {
            this.watches = watches;
            this.wake = wake;
        }

        void remove() {
            for (Watch watch : watches) {
                waiters.get(watch).remove(this);
            }
        }

        void fire() {
            try {
                wake.run();
            } catch (RuntimeException e) {
                // The change is recorded; a broken waiter must not keep the others (or the writer) from going on.
                LOG.warn("waking a blocked query failed", e);
            }
        }
    }
}
