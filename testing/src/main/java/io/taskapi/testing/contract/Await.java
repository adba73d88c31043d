package io.taskapi.testing.contract;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waits for a store to show what a test expects, for stores whose changes and notifications may arrive later than
 * the call that made them (a replicated store). Fails with the last thing it saw. The suites use this and not a
 * library so that depending on {@code taskapi-testing} puts nothing more on a class path.
 */
final class Await {
    private Await() {}

    /** A probe of the store; may fail (the failure is what it saw). */
    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    /**
     * @param timeout how long to wait at most
     * @param what what is awaited, for the failure message
     * @param probe what is looked at
     * @param condition what it must satisfy
     * @return the value that satisfied it
     * @throws AssertionError when the condition does not hold within the timeout, with the last value seen
     */
    static <T> T until(Duration timeout, String what, Probe<T> probe, Predicate<? super T> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        Object last;
        while (true) {
            try {
                T value = probe.get();
                if (condition.test(value)) {
                    return value;
                }
                last = value;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + timeout + "; last saw: " + last);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what + "; last saw: " + last, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }
}
