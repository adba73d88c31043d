package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything under one key prefix, in memory, kept current by an etcd watch: the read side of every store.
 *
 * <p><b>Loading.</b> A linearizable range read of the prefix at revision R fills the cache, and a watch from R + 1
 * keeps it current: no change can fall between the two. A watch that fails is resumed after the last change applied
 * (not after a progress notification's revision, see {@link #rewatch}); when etcd has compacted that revision away,
 * the prefix is read again whole (a re-list) and the watch starts after it.
 *
 * <p><b>Freshness.</b> Every heartbeat ({@link EtcdState}) makes a linearizable read that returns the cluster's
 * revision R at time t, then asks the watch for a progress notification. Once the cache has applied every revision
 * up to R, it is known to have been current at t ("fresh as of t"). Reads throw {@link StateUnavailableException}
 * once fresh-as-of is older than the staleness bound: an agent that cannot hear of a revocation stops trusting what
 * it cached. A write waits until the cache has applied the write's own event ({@link #awaitOwnWrite}), so an agent
 * reads its own writes.
 *
 * <p>The watch's error and completion callbacks run under jetcd's own lock, so they only hand the work to the
 * scheduler; this lock is never held while calling jetcd.
 *
 * @param <T> the decoded value
 */
final class WatchedPrefix<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedPrefix.class);
    private static final long RETRY_MILLIS = 250;
    private static final int MAX_PROBES = 32;

    /** Turns a stored value into a record; a value that does not decode is left out (fail closed) and logged. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(String relativeKey, byte[] value, long createRevision, long modRevision) throws IOException;
    }

    /** Hears of each key that changed: its value before and after ({@code null} when absent). */
    @FunctionalInterface
    interface KeyListener<T> {
        void changed(String relativeKey, T before, T after);
    }

    /** One key's change, collected under the lock and told after it. */
    private record Change<T>(String key, T before, T after) {}

    /** A cached value with its key's revisions. */
    record Entry<T>(T value, long createRevision, long modRevision) {}

    /** What readers see: replaced whole by a re-list, changed in place by watch events. */
    private record View<T>(ConcurrentSkipListMap<String, Entry<T>> entries, Map<String, Entry<T>> secondary) {}

    private final String what;
    private final EtcdState state;
    private final String prefix;
    private final Decoder<T> decoder;
    private final Function<T, String> secondaryKey;
    private final long boundNanos;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<KeyListener<T>> keyListeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    private final ArrayDeque<long[]> probes = new ArrayDeque<>();
    private volatile View<T> view;
    private volatile long applied;
    // The highest revision applied from the prefix's own events or a re-list, never from a progress notification:
    // etcd before 3.4.25 can send a requested notification ahead of events still queued (etcd-io/etcd#15220).
    private volatile long changesApplied;
    private volatile long lastChange;
    private volatile long freshAsOfNanos;
    private long generation;
    private Watch.Watcher watcher;
    private boolean closed;
    private volatile String lastLoadFailure;
    private boolean toldStale; // only the staleness sweep's thread reads and writes it

    /**
     * @param what what the prefix holds, for messages ("ACL tokens")
     * @param state the connection
     * @param relativePrefix the prefix under the layout's root
     * @param decoder reads a value
     * @param secondaryKey a second unique key to find values by (for tokens: the secret's digest), or {@code null}
     */
    WatchedPrefix(String what, EtcdState state, String relativePrefix, Decoder<T> decoder,
                  Function<T, String> secondaryKey) {
        this.what = what;
        this.state = state;
        this.prefix = state.layout().root() + relativePrefix;
        this.decoder = decoder;
        this.secondaryKey = secondaryKey;
        this.boundNanos = state.config().stalenessBound().toNanos();
        this.freshAsOfNanos = System.nanoTime() - boundNanos - 1;
    }

    /** Starts loading in the background; reads throw until the first load is done. */
    void start() {
        state.schedule(this::relist, 0);
    }

    /** @return whether the first load is done */
    boolean isLoaded() {
        return view != null;
    }

    /** @return the highest revision applied */
    long appliedRevision() {
        return applied;
    }

    Optional<Entry<T>> entry(String relativeKey) throws StateUnavailableException {
        return Optional.ofNullable(fresh().entries.get(relativeKey));
    }

    Optional<T> get(String relativeKey) throws StateUnavailableException {
        return entry(relativeKey).map(Entry::value);
    }

    Optional<T> getBySecondary(String key) throws StateUnavailableException {
        Entry<T> entry = fresh().secondary.get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value);
    }

    /** @return every relative key */
    List<String> keys() throws StateUnavailableException {
        return List.copyOf(fresh().entries.keySet());
    }

    /** @return every value, by relative key */
    List<T> values() throws StateUnavailableException {
        return values(fresh().entries.values());
    }

    /**
     * @param relativePrefix a prefix of relative keys
     * @return the values under it, by relative key
     */
    List<T> values(String relativePrefix) throws StateUnavailableException {
        List<T> values = new ArrayList<>();
        for (Map.Entry<String, Entry<T>> entry : fresh().entries.tailMap(relativePrefix).entrySet()) {
            if (!entry.getKey().startsWith(relativePrefix)) {
                break;
            }
            values.add(entry.getValue().value);
        }
        return values;
    }

    private static <T> List<T> values(Collection<Entry<T>> entries) {
        List<T> values = new ArrayList<>(entries.size());
        for (Entry<T> entry : entries) {
            values.add(entry.value);
        }
        return values;
    }

    Subscription onChange(Runnable listener) {
        // A distinct wrapper per subscription: the same listener subscribed twice is removed once per close.
        Runnable wrapper = () -> listener.run();
        listeners.add(wrapper);
        return () -> listeners.remove(wrapper);
    }

    /** @param listener told of every key that changes, after the cache has it; must be quick */
    Subscription onKeyChange(KeyListener<T> listener) {
        KeyListener<T> wrapper = (key, before, after) -> listener.changed(key, before, after);
        keyListeners.add(wrapper);
        return () -> keyListeners.remove(wrapper);
    }

    /**
     * Nomad's index of this prefix's table: the revision of its last change (a put or a delete) this agent has seen,
     * for {@code X-Nomad-Index}.
     *
     * @return the index
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    long index() throws StateUnavailableException {
        fresh();
        return lastChange;
    }

    /** @return the revision of the last change seen, fresh or not */
    long lastChange() {
        return lastChange;
    }

    /**
     * A blocking query: waits until the prefix changes after {@code afterIndex}, or the time is up.
     *
     * @param afterIndex the index the caller has seen
     * @param maxWait how long at most
     * @return the index then (above {@code afterIndex} when something changed)
     * @throws StateUnavailableException when the cache is, or becomes, past the staleness bound
     */
    long awaitIndex(long afterIndex, Duration maxWait) throws StateUnavailableException {
        fresh();
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (lock) {
            while (lastChange <= afterIndex && !closed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    // Wakes up at least every bound, to notice a cache gone stale while waiting.
                    TimeUnit.NANOSECONDS.timedWait(lock, Math.min(remaining, boundNanos));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                fresh();
            }
        }
        return index();
    }

    /**
     * Waits until the cache has applied a change of its own prefix at {@code revision} or later (a write of this
     * agent's there), whatever progress notifications said. Only for a revision at which the prefix changed: another
     * one may never come.
     *
     * @param revision the revision of the write
     * @param timeout how long at most
     * @return whether it was applied in time
     */
    boolean awaitChange(long revision, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (changesApplied < revision && !closed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return changesApplied >= revision;
        }
    }

    /**
     * Waits for this agent's own write to its prefix, so that the agent reads it back ({@link #awaitChange}); logs
     * when it does not come within the request timeout (the write is committed: the cache catches up later).
     *
     * @param revision the revision of the write
     */
    void awaitOwnWrite(long revision) {
        Duration timeout = state.config().requestTimeout();
        if (!awaitChange(revision, timeout)) {
            LOG.warn("{} did not see revision {} within {}", this, revision, timeout);
        }
    }

    private View<T> fresh() throws StateUnavailableException {
        View<T> current = view;
        if (current == null) {
            throw new StateUnavailableException("the " + what + " are not loaded from etcd yet");
        }
        long age = System.nanoTime() - freshAsOfNanos;
        if (age > boundNanos) {
            throw new StateUnavailableException("etcd has not confirmed the cached " + what + " for "
                    + TimeUnit.NANOSECONDS.toMillis(age) + " ms, past the staleness bound of "
                    + state.config().stalenessBound().toMillis() + " ms");
        }
        return current;
    }

    /**
     * A heartbeat's result: the cluster was at {@code revision} at {@code sentNanos}. The cache is fresh as of then
     * once it has applied that revision.
     */
    void probe(long sentNanos, long revision) {
        Watch.Watcher current;
        synchronized (lock) {
            if (view == null || closed) {
                return;
            }
            if (applied >= revision) {
                markFresh(sentNanos);
                return;
            }
            probes.addLast(new long[] {sentNanos, revision});
            if (probes.size() > MAX_PROBES) {
                probes.removeFirst();
            }
            current = watcher;
        }
        if (current != null) {
            current.requestProgress();
        }
    }

    /**
     * Tells the change listeners once, when the cache passes the staleness bound. What they derived from it (a
     * verified token, a compiled ACL) is no longer confirmed either: dropped, it is looked up again, which then fails
     * closed. Without this, a plugin cache in front of the store would keep authenticating a token past the bound.
     * Called by one thread, often (see {@link EtcdState}).
     *
     * @return whether it has just gone stale
     */
    boolean tellIfStale() {
        if (view == null) {
            return false; // not loaded: reads throw anyway, and nothing can have been derived from it
        }
        boolean stale = System.nanoTime() - freshAsOfNanos > boundNanos;
        if (stale == toldStale) {
            return false;
        }
        toldStale = stale;
        if (stale) {
            fire();
        }
        return stale;
    }

    private void markFresh(long sentNanos) {
        if (sentNanos - freshAsOfNanos > 0) {
            freshAsOfNanos = sentNanos;
        }
    }

    /** Reads the whole prefix, replaces the cache, and watches from the next revision. Runs on the scheduler. */
    private void relist() {
        Watch.Watcher old;
        synchronized (lock) {
            if (closed) {
                return;
            }
            generation++;
            old = watcher;
            watcher = null;
        }
        closeQuietly(old);
        long sent = System.nanoTime();
        GetResponse response;
        ConcurrentSkipListMap<String, Entry<T>> entries = new ConcurrentSkipListMap<>();
        Map<String, Entry<T>> secondary = new ConcurrentHashMap<>();
        try {
            response = state.read("read the " + what, () -> state.client().getKVClient().get(
                    ByteSequence.from(prefix, UTF_8), io.etcd.jetcd.options.GetOption.builder().isPrefix(true)
                            .build()));
        } catch (StateUnavailableException e) {
            // Once per cause, not every retry: a refused user or an unreachable cluster would flood the log.
            if (!String.valueOf(e.getMessage()).equals(lastLoadFailure)) {
                LOG.warn("cannot load the {} from etcd, retrying: {}", what, e.getMessage());
                lastLoadFailure = String.valueOf(e.getMessage());
            }
            state.schedule(this::relist, RETRY_MILLIS * 2);
            return;
        }
        lastLoadFailure = null;
        for (KeyValue kv : response.getKvs()) {
            put(entries, secondary, kv);
        }
        long revision = response.getHeader().getRevision();
        long gen;
        List<Change<T>> changes = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (view != null) {
                diff(view.entries, entries, changes);
            }
            view = new View<>(entries, secondary);
            applied = Math.max(applied, revision);
            changesApplied = Math.max(changesApplied, revision);
            for (Entry<T> entry : entries.values()) {
                lastChange = Math.max(lastChange, entry.modRevision);
            }
            if (!changes.isEmpty()) {
                // Something changed while the watch was away (a delete leaves no revision behind): the re-list is it.
                lastChange = Math.max(lastChange, revision);
            }
            markFresh(sent);
            probes.clear();
            gen = ++generation;
            lock.notifyAll();
        }
        startWatch(gen, revision + 1);
        fire(changes);
        fire();
    }

    private static <T> void diff(Map<String, Entry<T>> before, Map<String, Entry<T>> after, List<Change<T>> into) {
        for (Map.Entry<String, Entry<T>> old : before.entrySet()) {
            Entry<T> now = after.get(old.getKey());
            if (now == null || now.modRevision != old.getValue().modRevision) {
                into.add(new Change<>(old.getKey(), old.getValue().value, now == null ? null : now.value));
            }
        }
        for (Map.Entry<String, Entry<T>> now : after.entrySet()) {
            if (!before.containsKey(now.getKey())) {
                into.add(new Change<>(now.getKey(), null, now.getValue().value));
            }
        }
    }

    /** Resumes the watch after the last change applied. Runs on the scheduler. */
    private void rewatch() {
        long gen;
        long from;
        synchronized (lock) {
            if (closed || watcher != null || view == null) {
                return;
            }
            gen = ++generation;
            // Not applied + 1: etcd before 3.4.25 can send a progress notification ahead of events still queued
            // (etcd-io/etcd#15220), so applied may be past an event that never arrived, and resuming after it would
            // lose that event until a re-list. Every event up to changesApplied is in the cache and none after it:
            // etcd sends a revision's events together, and replays from here exactly what is missing. (On a quiet
            // prefix that revision is compacted away sooner: the watch then fails and the prefix is re-listed.)
            from = changesApplied + 1;
        }
        startWatch(gen, from);
    }

    private void startWatch(long gen, long fromRevision) {
        Watch.Watcher started;
        try {
            started = state.watch(ByteSequence.from(prefix, UTF_8), fromRevision, Watch.listener(
                    response -> onNext(gen, response),
                    error -> state.schedule(() -> onFailure(gen, error), 0),
                    () -> state.schedule(() -> onFailure(gen, null), 0)));
        } catch (RuntimeException e) {
            LOG.warn("cannot watch the {}, retrying: {}", what, e.toString());
            state.schedule(this::rewatch, RETRY_MILLIS);
            return;
        }
        Watch.Watcher replaced;
        synchronized (lock) {
            if (gen != generation || closed) {
                replaced = started;
            } else {
                // A resume and a re-list can overlap: the watch of the latest generation stays, any other closes.
                replaced = watcher;
                watcher = started;
            }
        }
        closeQuietly(replaced);
    }

    private void onNext(long gen, WatchResponse response) {
        boolean changed = false;
        List<Change<T>> changes = new ArrayList<>();
        synchronized (lock) {
            View<T> current = view;
            if (gen != generation || closed || current == null) {
                return;
            }
            for (WatchEvent event : response.getEvents()) {
                KeyValue kv = event.getKeyValue();
                String key = relative(kv);
                Entry<T> before = current.entries.get(key);
                if (event.getEventType() == WatchEvent.EventType.DELETE) {
                    remove(current.entries, current.secondary, key);
                } else if (event.getEventType() == WatchEvent.EventType.PUT) {
                    put(current.entries, current.secondary, kv);
                }
                if (!keyListeners.isEmpty()) {
                    Entry<T> after = current.entries.get(key);
                    changes.add(new Change<>(key, before == null ? null : before.value,
                            after == null ? null : after.value));
                }
                applied = Math.max(applied, kv.getModRevision());
                changesApplied = Math.max(changesApplied, kv.getModRevision());
                lastChange = Math.max(lastChange, kv.getModRevision());
                changed = true;
            }
            if (response.isProgressNotify()) {
                applied = Math.max(applied, response.getHeader().getRevision());
            }
            while (!probes.isEmpty() && probes.peekFirst()[1] <= applied) {
                markFresh(probes.removeFirst()[0]);
            }
            lock.notifyAll();
        }
        if (changed) {
            fire(changes);
            fire();
        }
    }

    /** A watch failed or ended: resume it, or re-list when etcd compacted the revisions it needs. */
    private void onFailure(long gen, Throwable error) {
        Watch.Watcher failed;
        synchronized (lock) {
            if (gen != generation || closed) {
                return;
            }
            generation++;
            failed = watcher;
            watcher = null;
        }
        closeQuietly(failed);
        if (isCompaction(error)) {
            LOG.info("the {} watch fell behind etcd's compaction; reading them again", what);
            state.schedule(this::relist, 0);
        } else {
            LOG.debug("the {} watch ended ({}); resuming", what, error == null ? "completed" : error.toString());
            state.schedule(this::rewatch, RETRY_MILLIS);
        }
    }

    private static boolean isCompaction(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CompactedException) {
                return true;
            }
        }
        return false;
    }

    private void put(Map<String, Entry<T>> entries, Map<String, Entry<T>> secondary, KeyValue kv) {
        String key = relative(kv);
        T value;
        try {
            value = decoder.decode(key, kv.getValue().getBytes(), kv.getCreateRevision(), kv.getModRevision());
        } catch (IOException | RuntimeException e) {
            // Fail closed: what cannot be read is absent (a token that does not decode authenticates nothing).
            LOG.warn("ignoring an unreadable value in the {} at {}: {}", what, prefix + key, e.getMessage());
            remove(entries, secondary, key);
            return;
        }
        Entry<T> entry = new Entry<>(value, kv.getCreateRevision(), kv.getModRevision());
        Entry<T> previous = entries.put(key, entry);
        if (secondaryKey != null) {
            if (previous != null) {
                secondary.remove(secondaryKey.apply(previous.value), previous);
            }
            secondary.put(secondaryKey.apply(value), entry);
        }
    }

    private void remove(Map<String, Entry<T>> entries, Map<String, Entry<T>> secondary, String key) {
        Entry<T> previous = entries.remove(key);
        if (previous != null && secondaryKey != null) {
            secondary.remove(secondaryKey.apply(previous.value), previous);
        }
    }

    private String relative(KeyValue kv) {
        return kv.getKey().toString(UTF_8).substring(prefix.length());
    }

    private void fire(List<Change<T>> changes) {
        for (Change<T> change : changes) {
            for (KeyListener<T> listener : keyListeners) {
                try {
                    listener.changed(change.key, change.before, change.after);
                } catch (RuntimeException e) {
                    LOG.warn("a {} key listener failed", what, e);
                }
            }
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a {} change listener failed", what, e);
            }
        }
    }

    private static void closeQuietly(Watch.Watcher watcher) {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a watch failed", e);
            }
        }
    }

    @Override
    public void close() {
        Watch.Watcher current;
        synchronized (lock) {
            closed = true;
            generation++;
            current = watcher;
            watcher = null;
            lock.notifyAll();
        }
        closeQuietly(current);
    }

    @Override
    public String toString() {
        return "WatchedPrefix[" + prefix + ", revision " + applied + "]";
    }
}
