package io.taskapi.plugin.cache;

/**
 * Guards a cache filled from state that changes under it. Without it, a lookup that read the state just before a
 * change (a policy deleted, a token revoked, an allocation ended) and stored its result just after the change cleared
 * the cache would put back what the change removed, and nothing would remove it again. So: a result may be stored
 * only if no change was announced since its lookup began, and announcing a change and clearing the cache are one
 * step.
 */
public final class ChangeGuard {
    private long changes;

    /** @return a mark to take before reading the state a result is computed from */
    public synchronized long mark() {
        return changes;
    }

    /**
     * Announces a change: runs {@code forget} (what drops the cached results it may affect), and refuses every result
     * whose lookup began before.
     *
     * @param forget drops what the change makes stale; runs under the guard
     */
    public synchronized void changed(Runnable forget) {
        changes++;
        forget.run();
    }

    /**
     * Stores a result unless a change was announced since {@code mark}: its inputs may then be stale. The caller
     * still has the result to answer with; it raced with the change, and either order is a correct answer for it.
     *
     * @param mark what {@link #mark()} said before the lookup
     * @param store stores the result; runs under the guard, only if nothing changed
     */
    public synchronized void storeUnlessChanged(long mark, Runnable store) {
        if (changes == mark) {
            store.run();
        }
    }
}
