package io.taskapi.testing;

import io.taskapi.spi.state.StateUnavailableException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault injection and call accounting of an in-memory store, the same for every one: a switch that makes the
 * store's SPI calls fail like a backend that is down, a count of its lookups and the threads that called it. Each
 * {@code InMemory…} store hands out its own with {@code faults()}; the test's side-door methods of a store ignore the
 * switch and are not counted. Thread-safe.
 *
 * <pre>{@code
 * tokens.faults().setUnavailable(true);     // every lookup and write now throws StateUnavailableException
 * long before = tokens.faults().lookupCount();
 * }</pre>
 */
public final class StoreFaults {
    private final String what;
    private volatile boolean unavailable;
    private final AtomicLong lookups = new AtomicLong();
    private final Set<String> callerThreads = ConcurrentHashMap.newKeySet();

    StoreFaults(String what) {
        this.what = what;
    }

    /** @param unavailable whether the store's SPI calls fail with {@link StateUnavailableException} from now on */
    public void setUnavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /** @return whether the store's SPI calls fail */
    public boolean isUnavailable() {
        return unavailable;
    }

    /** @return how many SPI lookups the store saw, failed ones included: a cache test checks it does not grow */
    public long lookupCount() {
        return lookups.get();
    }

    /** @return the names of the threads that called the store's SPI, reads and writes: proof of where calls ran */
    public Set<String> callerThreads() {
        return Set.copyOf(callerThreads);
    }

    @Override
    public String toString() {
        return "StoreFaults[" + what + (unavailable ? ", unavailable" : "") + ", lookups=" + lookups.get() + "]";
    }

    /** Counts a lookup, then fails it if the switch is on. */
    void lookup() throws StateUnavailableException {
        lookups.incrementAndGet();
        callerThreads.add(Thread.currentThread().getName());
        failIfUnavailable();
    }

    /** Fails a write if the switch is on, without counting it (writes are not lookups). */
    void write() throws StateUnavailableException {
        callerThreads.add(Thread.currentThread().getName());
        failIfUnavailable();
    }

    private void failIfUnavailable() throws StateUnavailableException {
        if (unavailable) {
            throw new StateUnavailableException(what + " is unavailable (switched off by the test)");
        }
    }
}
