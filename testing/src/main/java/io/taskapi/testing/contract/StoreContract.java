package io.taskapi.testing.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every state contract suite shares: a fresh store per test, closed after it, and the two optional hooks.
 * Extend one of the suites ({@link AclTokenStoreContract} and its siblings), not this class.
 *
 * @param <S> the store under test
 */
public abstract class StoreContract<S> {
    private S store;

    /** For subclasses. */
    protected StoreContract() {}

    /**
     * @return a new, empty store that no other test sees (for a shared backend: a fresh key space or prefix)
     * @throws Exception when it cannot be made; the test fails
     */
    protected abstract S createStore() throws Exception;

    /**
     * Releases what {@link #createStore()} made. Does nothing unless overridden.
     *
     * @param store the store this test used
     * @throws Exception when it cannot be released; the test fails
     */
    protected void closeStore(S store) throws Exception {}

    /**
     * Makes the store fail from now on as an unreachable backend does, so that the suite can check that every call
     * then throws {@link io.taskapi.spi.state.StateUnavailableException}. Does nothing unless overridden, and the
     * tests that need it are then skipped.
     *
     * @param store the store this test uses
     * @return whether the store now fails
     * @throws Exception when it cannot be done; the test fails
     */
    protected boolean makeUnavailable(S store) throws Exception {
        return false;
    }

    /**
     * How long a change may take to show (a notification to arrive, a change to reach a replica). Checks wait up to
     * this long and pass as soon as the change shows; a local store shows it at once.
     *
     * @return ten seconds unless overridden
     */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** @return the store this test uses */
    protected final S store() {
        return store;
    }

    /** @throws Exception from {@link #createStore()} */
    @BeforeEach
    protected final void openStoreUnderTest() throws Exception {
        store = createStore();
    }

    /** @throws Exception from {@link #closeStore} */
    @AfterEach
    protected final void closeStoreUnderTest() throws Exception {
        if (store != null) {
            closeStore(store);
        }
    }

    /** Makes the store unavailable, or skips the test when the implementer cannot. */
    final void switchOff() throws Exception {
        assumeTrue(makeUnavailable(store), "the implementer cannot make this store unavailable (makeUnavailable)");
    }

    /** Waits for a change to show; see {@link Await}. */
    final <T> T await(String what, Await.Probe<T> probe, java.util.function.Predicate<? super T> condition) {
        return Await.until(timeout(), what, probe, condition);
    }
}
