package io.taskapi.spi.state;

import java.util.List;
import java.util.Optional;

/**
 * ACL auth methods (by name) and their binding rules (by id), in one store because deleting a method deletes its
 * rules with it, atomically, as in Nomad. A write returns only once it is durable.
 *
 * @since SPI 1.2
 */
public interface AclAuthMethodStore {
    /**
     * @param name a method's name
     * @return the method
     * @throws StateUnavailableException when the store cannot answer
     */
    Optional<AclAuthMethod> findMethod(String name) throws StateUnavailableException;

    /**
     * @return every method, sorted by name
     * @throws StateUnavailableException when the store cannot answer
     */
    List<AclAuthMethod> listMethods() throws StateUnavailableException;

    /**
     * Creates or replaces the method with the same name; the store sets its indexes. Durable when it returns.
     *
     * @param method the method (its indexes are ignored)
     * @return the method as stored, with its indexes
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    AclAuthMethod putMethod(AclAuthMethod method) throws StateUnavailableException;

    /**
     * Deletes a method and every binding rule that belongs to it, in one write. Durable when it returns.
     *
     * @param name the method's name
     * @return whether there was such a method
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    boolean deleteMethod(String name) throws StateUnavailableException;

    /**
     * @param id a binding rule's id
     * @return the rule
     * @throws StateUnavailableException when the store cannot answer
     */
    Optional<AclBindingRule> findRule(String id) throws StateUnavailableException;

    /**
     * @return every binding rule, sorted by id
     * @throws StateUnavailableException when the store cannot answer
     */
    List<AclBindingRule> listRules() throws StateUnavailableException;

    /**
     * Creates or replaces the rule with the same id; the store sets its indexes. Durable when it returns.
     *
     * @param rule the rule (its indexes are ignored)
     * @return the rule as stored, with its indexes
     * @throws IllegalArgumentException when its auth method does not exist; nothing changed
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    AclBindingRule putRule(AclBindingRule rule) throws StateUnavailableException;

    /**
     * Deletes a binding rule. Durable when it returns.
     *
     * @param id the rule's id
     * @return whether there was such a rule
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    boolean deleteRule(String id) throws StateUnavailableException;

    /**
     * Tells the listener after every change to methods or rules, including changes made by other agents sharing the
     * store.
     *
     * @param listener called after a change; must be quick and must not throw
     * @return closing it stops the notifications
     */
    Subscription onChange(Runnable listener);
}
