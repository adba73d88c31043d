package io.taskapi.spi.state;

import java.util.List;
import java.util.Optional;

/** ACL policies by name. A write returns only once it is durable. */
public interface AclPolicyStore {
    /**
     * @param name a policy name
     * @return the policy
     * @throws StateUnavailableException when the store cannot answer
     */
    Optional<AclPolicy> find(String name) throws StateUnavailableException;

    /**
     * @return every policy, sorted by name
     * @throws StateUnavailableException when the store cannot answer
     */
    List<AclPolicy> list() throws StateUnavailableException;

    /**
     * Creates or replaces the policy with the same name; the store sets its indexes. Durable when it returns.
     *
     * @param policy the policy (its indexes are ignored)
     * @return the policy as stored, with its indexes
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    AclPolicy put(AclPolicy policy) throws StateUnavailableException;

    /**
     * Deletes a policy. Durable when it returns.
     *
     * @param name the policy's name
     * @return whether there was such a policy
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    boolean delete(String name) throws StateUnavailableException;

    /**
     * Tells the listener after every change, including changes made by other agents sharing the store.
     *
     * @param listener called after a change; must be quick and must not throw
     * @return closing it stops the notifications
     */
    Subscription onChange(Runnable listener);
}
