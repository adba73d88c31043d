package io.taskapi.testing.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** What the suites share: checks that every store must pass in the same way. */
final class Contracts {
    private Contracts() {}

    /** A read that may fail. */
    @FunctionalInterface
    interface Read<T> {
        T get() throws Exception;
    }

    /** A call expected to fail. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /**
     * A returned list is the caller's: changing it either fails or changes nothing in the store.
     *
     * @param read reads the list afresh
     */
    static <T> void assertListIsTheCallersOwn(Read<List<T>> read) throws Exception {
        List<T> first = read.get();
        List<T> expected = List.copyOf(first);
        try {
            first.clear();
        } catch (UnsupportedOperationException e) {
            // unmodifiable: fine
        }
        assertEquals(expected, read.get(), "clearing a returned list changed what the store returns");
    }

    /**
     * A returned map is the caller's: changing it either fails or changes nothing in the store.
     *
     * @param read reads the map afresh
     */
    static <K, V> void assertMapIsTheCallersOwn(Read<Map<K, V>> read) throws Exception {
        Map<K, V> first = read.get();
        Map<K, V> expected = Map.copyOf(first);
        try {
            first.clear();
        } catch (UnsupportedOperationException e) {
            // unmodifiable: fine
        }
        assertEquals(expected, read.get(), "clearing a returned map changed what the store returns");
    }

    /** @param call a call with a {@code null} argument, which the state SPI never accepts */
    static void assertRejectsNull(String what, Call call) {
        assertThrows(NullPointerException.class, call::run, what + " with a null argument");
    }

    /** A listener that records what it heard, for awaiting. */
    static final class Heard<T> implements Consumer<T>, Runnable {
        private final List<T> events = new CopyOnWriteArrayList<>();
        private final T tick;

        /** @param tick what {@link #run()} records */
        Heard(T tick) {
            this.tick = tick;
        }

        @Override
        public void accept(T event) {
            events.add(event);
        }

        @Override
        public void run() {
            events.add(tick);
        }

        List<T> events() {
            return List.copyOf(events);
        }

        int count() {
            return events.size();
        }

        @Override
        public String toString() {
            return "heard " + events;
        }
    }
}
