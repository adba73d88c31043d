package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VariableStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Encrypted variables in memory, for tests. Thread-safe. It holds what the plugin gives it (key id and ciphertext):
 * the plugin encrypts before it stores, so a test reads plaintext through the HTTP API, not here.
 *
 * <p>It behaves as the SPI says and as the plugin's embedded store does: it sets the indexes (a counter of its own,
 * bumped by every change) and the times (from its clock); check-and-set with an expected index of 0 succeeds only when
 * the variable is absent, N only when its modify index is N, for puts and deletes alike, and a failed check throws
 * {@link CasConflictException} with the variable as it is (or {@code null} when absent) and changes nothing.
 * {@link #list} takes {@code *} for every namespace and the prefix literally, and sorts by namespace then path.
 *
 * <p>{@code faults().setUnavailable(true)} makes every SPI call throw {@link StateUnavailableException};
 * {@link #variables()} and {@link #clear()} keep working.
 */
public final class InMemoryVariableStore implements VariableStore {
    /** The namespace that {@link #list} reads as "every namespace". */
    public static final String ALL_NAMESPACES = "*";

    private record Key(String namespace, String path) {}

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::namespace).thenComparing(Key::path);

    private final Clock clock;
    private final Object lock = new Object();
    // guarded by lock
    private final TreeMap<Key, StoredVariable> variables = new TreeMap<>(ORDER);
    private long index;
    private final StoreFaults faults = new StoreFaults("the variable store");

    /** A store whose times come from the system clock. */
    public InMemoryVariableStore() {
        this(Clock.systemUTC());
    }

    /** @param clock gives the create and modify times */
    public InMemoryVariableStore(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Optional<StoredVariable> get(String namespace, String path) throws StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        faults.lookup();
        synchronized (lock) {
            return Optional.ofNullable(variables.get(new Key(namespace, path)));
        }
    }

    @Override
    public List<StoredVariable> list(String namespace, String pathPrefix) throws StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(pathPrefix, "pathPrefix is null");
        faults.lookup();
        boolean all = ALL_NAMESPACES.equals(namespace);
        synchronized (lock) {
            return variables.values().stream()
                    .filter(variable -> all || variable.namespace().equals(namespace))
                    .filter(variable -> variable.path().startsWith(pathPrefix))
                    .toList();
        }
    }

    @Override
    public StoredVariable put(StoredVariable variable, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException {
        requireNonNull(variable, "variable is null");
        requireNonNull(expectedModifyIndex, "expectedModifyIndex is null");
        faults.write();
        Key key = new Key(variable.namespace(), variable.path());
        synchronized (lock) {
            StoredVariable current = variables.get(key);
            check(current, expectedModifyIndex);
            long next = ++index;
            Instant now = clock.instant();
            StoredVariable stored = current == null ? variable.stored(next, next, now, now)
                    : variable.stored(current.createIndex(), next, current.createTime(), now);
            variables.put(key, stored);
            return stored;
        }
    }

    @Override
    public boolean delete(String namespace, String path, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        requireNonNull(expectedModifyIndex, "expectedModifyIndex is null");
        faults.write();
        Key key = new Key(namespace, path);
        synchronized (lock) {
            StoredVariable current = variables.get(key);
            check(current, expectedModifyIndex);
            if (current == null) {
                return false;
            }
            variables.remove(key);
            index++;
            return true;
        }
    }

    /** @return every variable, sorted by namespace then path; works while unavailable and is not counted */
    public List<StoredVariable> variables() {
        synchronized (lock) {
            return List.copyOf(variables.values());
        }
    }

    /** Removes every variable (the index keeps counting). */
    public void clear() {
        synchronized (lock) {
            variables.clear();
            index++;
        }
    }

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "InMemoryVariableStore[variables=" + variables().size() + ", unavailable=" + faults.isUnavailable() + "]";
    }

    /** Nomad's check-and-set: 0 means "only if absent", N "only if its modify index is N". */
    private static void check(StoredVariable current, OptionalLong expected) throws CasConflictException {
        if (expected.isEmpty()) {
            return;
        }
        long index = expected.getAsLong();
        if (index == 0 ? current != null : current == null || current.modifyIndex() != index) {
            throw new CasConflictException(current);
        }
    }
}
