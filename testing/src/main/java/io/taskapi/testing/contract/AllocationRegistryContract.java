package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AllocationRegistry}, for any implementation: extend it, implement {@link #createStore()}
 * and the two hooks that drive an allocation's life as the agent does ({@link #markLive}, {@link #markTerminal});
 * a registry that garbage-collects allocations implements {@link #forget} too.
 *
 * <p>It checks that an allocation never seen is unknown with no workload, that a live one is live with the workload
 * it runs, that one that ends is terminal and its end is told to subscribers (awaited, so a registry fed later
 * passes) while other allocations stay live, that a closed subscription hears nothing more and closing twice is safe
 * even when the same listener is subscribed twice, that {@code null} arguments are refused, and, when
 * {@link #makeUnavailable} is implemented, {@link StateUnavailableException}.
 *
 * @param <S> the registry under test
 */
public abstract class AllocationRegistryContract<S extends AllocationRegistry> extends StoreContract<S> {
    /** For subclasses. */
    protected AllocationRegistryContract() {}

    /**
     * Places an allocation that is pending or running from now on.
     *
     * @param registry the registry this test uses
     * @param allocationId a new allocation id (a UUID)
     * @param workload what it runs
     * @throws Exception when it cannot be done; the test fails
     */
    protected abstract void markLive(S registry, String allocationId, AllocationWorkload workload) throws Exception;

    /**
     * Ends a live allocation (complete, failed or lost), as the agent does when its last task ends.
     *
     * @param registry the registry this test uses
     * @param allocationId an allocation {@link #markLive} placed
     * @throws Exception when it cannot be done; the test fails
     */
    protected abstract void markTerminal(S registry, String allocationId) throws Exception;

    /**
     * Garbage-collects an allocation. Does nothing unless overridden, and that check is then skipped.
     *
     * @param registry the registry this test uses
     * @param allocationId an allocation {@link #markLive} placed
     * @return whether it was forgotten
     * @throws Exception when it cannot be done; the test fails
     */
    protected boolean forget(S registry, String allocationId) throws Exception {
        return false;
    }

    @Test
    void anAllocationNeverSeenIsUnknownWithNoWorkload() throws Exception {
        String id = UUID.randomUUID().toString();

        assertEquals(AllocationStatus.UNKNOWN, store().status(id));
        assertEquals(Optional.empty(), store().workload(id));
        assertEquals(AllocationStatus.UNKNOWN, store().status(""));
    }

    @Test
    void aLiveAllocationIsLiveWithTheWorkloadItRuns() throws Exception {
        String id = UUID.randomUUID().toString();
        AllocationWorkload workload = new AllocationWorkload("default", "web", "frontend", Set.of("server", "proxy"));

        markLive(store(), id, workload);

        await("the allocation to be live", () -> store().status(id), AllocationStatus.LIVE::equals);
        await("its workload to be known", () -> store().workload(id), Optional::isPresent);
        assertEquals(Optional.of(workload), store().workload(id));
    }

    @Test
    void anAllocationThatEndsIsTerminalAndSubscribersAreToldWhileOthersStayLive() throws Exception {
        String ending = UUID.randomUUID().toString();
        String staying = UUID.randomUUID().toString();
        markLive(store(), ending, workload("ending"));
        markLive(store(), staying, workload("staying"));
        await("both allocations to be live", () -> List.of(store().status(ending), store().status(staying)),
                List.of(AllocationStatus.LIVE, AllocationStatus.LIVE)::equals);
        Contracts.Heard<String> heard = new Contracts.Heard<>("");

        Subscription subscription = store().onAllocationEnded(heard);
        try {
            markTerminal(store(), ending);

            await("the ended allocation to be terminal", () -> store().status(ending),
                    AllocationStatus.TERMINAL::equals);
            await("subscribers to hear of the end", heard::events, events -> events.contains(ending));
        } finally {
            subscription.close();
        }
        assertEquals(AllocationStatus.LIVE, store().status(staying));
        assertEquals(List.of(), heard.events().stream().filter(staying::equals).toList(),
                "subscribers heard of an allocation that did not end");
    }

    @Test
    void aForgottenAllocationIsUnknownAndSubscribersAreTold() throws Exception {
        String id = UUID.randomUUID().toString();
        markLive(store(), id, workload("gone"));
        await("the allocation to be live", () -> store().status(id), AllocationStatus.LIVE::equals);
        Contracts.Heard<String> heard = new Contracts.Heard<>("");

        Subscription subscription = store().onAllocationEnded(heard);
        try {
            assumeTrue(forget(store(), id), "the implementer cannot forget allocations (forget)");

            await("the forgotten allocation to be unknown", () -> store().status(id),
                    AllocationStatus.UNKNOWN::equals);
            await("subscribers to hear of it", heard::events, events -> events.contains(id));
        } finally {
            subscription.close();
        }
        assertEquals(Optional.empty(), store().workload(id));
    }

    @Test
    void aClosedSubscriptionHearsNothingMoreAndClosesTwiceSafely() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        markLive(store(), first, workload("first"));
        markLive(store(), second, workload("second"));
        Contracts.Heard<String> heard = new Contracts.Heard<>("");
        Contracts.Heard<String> witness = new Contracts.Heard<>("");
        Subscription closed = store().onAllocationEnded(heard);
        // The same listener twice is two subscriptions: closing one (twice) must leave the other.
        Subscription open = store().onAllocationEnded(heard);

        closed.close();
        closed.close();
        Subscription watching = store().onAllocationEnded(witness);
        try {
            markTerminal(store(), first);
            await("a subscriber to hear of the first end", witness::events, events -> events.contains(first));
            await("the still open subscription to hear of it", heard::events, events -> events.contains(first));
            open.close();
            markTerminal(store(), second);
            await("a subscriber to hear of the second end", witness::events, events -> events.contains(second));
        } finally {
            watching.close();
        }
        assertEquals(List.of(first), heard.events(), "what the listener heard through its two subscriptions");
    }

    @Test
    void refusesNullArguments() {
        assertRejectsNull("status", () -> store().status(null));
        assertRejectsNull("workload", () -> store().workload(null));
        assertRejectsNull("onAllocationEnded", () -> store().onAllocationEnded(null));
    }

    @Test
    void anUnavailableRegistryThrowsStateUnavailableException() throws Exception {
        String id = UUID.randomUUID().toString();
        markLive(store(), id, workload("a"));
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().status(id));
        assertThrows(StateUnavailableException.class, () -> store().workload(id));
    }

    private static AllocationWorkload workload(String job) {
        return new AllocationWorkload("default", job, "group", Set.of("task"));
    }
}
