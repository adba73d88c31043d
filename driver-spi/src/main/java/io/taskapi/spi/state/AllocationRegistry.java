package io.taskapi.spi.state;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Which allocations are live, so that a workload identity dies with its allocation, and what each runs, so that an
 * identity's claims must match the allocation it names.
 *
 * <p>{@link #status} and {@link #workload} are asked on every request that carries a workload identity, on the
 * server's I/O thread: they must answer from memory and never block (the agent knows its allocations; a replicated
 * registry keeps a local copy fed by change notifications).
 */
public interface AllocationRegistry {
    /**
     * @param allocationId an allocation id from a verified token
     * @return the allocation's status
     * @throws StateUnavailableException when the registry cannot answer (the caller refuses with 503)
     */
    AllocationStatus status(String allocationId) throws StateUnavailableException;

    /**
     * What the allocation runs. Asked on every request that carries a workload identity, after {@link #status}: an
     * identity whose namespace, job, group or task is not the allocation's is refused (403), and so is every
     * identity of an allocation this returns nothing for.
     *
     * @param allocationId an allocation id from a verified token
     * @return the allocation's namespace, job, group and tasks, if the registry knows them
     * @throws StateUnavailableException when the registry cannot answer (the caller refuses with 503)
     */
    Optional<AllocationWorkload> workload(String allocationId) throws StateUnavailableException;

    /**
     * Tells the listener about every allocation that becomes terminal or unknown from now on, so that caches can
     * drop what they hold for it.
     *
     * @param listener called with the allocation id; must be quick and must not throw
     * @return closing it stops the notifications
     */
    Subscription onAllocationEnded(Consumer<String> listener);
}
