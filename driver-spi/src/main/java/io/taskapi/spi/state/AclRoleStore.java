package io.taskapi.spi.state;

import java.util.List;
import java.util.Optional;

/**
 * ACL roles by id, with unique names. A write returns only once it is durable.
 *
 * @since SPI 1.2
 */
public interface AclRoleStore {
    /**
     * @param id a role's id
     * @return the role
     * @throws StateUnavailableException when the store cannot answer
     */
    Optional<AclRole> find(String id) throws StateUnavailableException;

    /**
     * @param name a role's name
     * @return the role with that name
     * @throws StateUnavailableException when the store cannot answer
     */
    default Optional<AclRole> findByName(String name) throws StateUnavailableException {
        return list().stream().filter(role -> role.name().equals(name)).findFirst();
    }

    /**
     * @return every role, sorted by id
     * @throws StateUnavailableException when the store cannot answer
     */
    List<AclRole> list() throws StateUnavailableException;

    /**
     * Creates or replaces the role with the same id; the store sets its indexes. Durable when it returns.
     *
     * @param role the role (its indexes are ignored)
     * @return the role as stored, with its indexes
     * @throws IllegalArgumentException when another role (another id) has this name; nothing changed
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    AclRole put(AclRole role) throws StateUnavailableException;

    /**
     * Deletes a role. Durable when it returns.
     *
     * @param id the role's id
     * @return whether there was such a role
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    boolean delete(String id) throws StateUnavailableException;

    /**
     * Tells the listener after every change, including changes made by other agents sharing the store.
     *
     * @param listener called after a change; must be quick and must not throw
     * @return closing it stops the notifications
     */
    Subscription onChange(Runnable listener);
}
