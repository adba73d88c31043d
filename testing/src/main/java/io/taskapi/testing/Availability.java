package io.taskapi.testing;

import io.taskapi.spi.state.StateUnavailableException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The switch that makes an in-memory store fail like a backend that is down, and a count of the calls it saw. */
final class Availability {
    private final String what;
    private volatile boolean unavailable;
    private final AtomicLong calls = new AtomicLong();
    private final Set<String> callerThreads = ConcurrentHashMap.newKeySet();

    Availability(String what) {
        this.what = what;
    }

    void set(boolean unavailable) {
        this.unavailable = unavailable;
    }

    boolean unavailable() {
        return unavailable;
    }

    /** Counts the call, then fails it if the switch is on. */
    void check() throws StateUnavailableException {
        calls.incrementAndGet();
        callerThreads.add(Thread.currentThread().getName());
        if (unavailable) {
            throw new StateUnavailableException(what + " is unavailable (switched off by the test)");
        }
    }

    /** Fails the call if the switch is on, without counting it (writes are not lookups). */
    void checkWrite() throws StateUnavailableException {
        callerThreads.add(Thread.currentThread().getName());
        if (unavailable) {
            throw new StateUnavailableException(what + " is unavailable (switched off by the test)");
        }
    }

    long calls() {
        return calls.get();
    }

    Set<String> callerThreads() {
        return Set.copyOf(callerThreads);
    }
}
