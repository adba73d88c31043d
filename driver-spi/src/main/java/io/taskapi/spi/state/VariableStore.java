package io.taskapi.spi.state;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Encrypted variables by namespace and path. The store assigns indexes and times; a write returns only once it is
 * durable. Check-and-set follows Nomad: an expected index of 0 means "only if absent", N means "only if its modify
 * index is N".
 */
public interface VariableStore {
    /**
     * @param namespace a namespace
     * @param path a variable path
     * @return the variable
     * @throws StateUnavailableException when the store cannot answer
     */
    Optional<StoredVariable> get(String namespace, String path) throws StateUnavailableException;

    /**
     * @param namespace a namespace, or {@code *} for every namespace
     * @param pathPrefix a path prefix, possibly empty
     * @return the matching variables, sorted by namespace then path
     * @throws StateUnavailableException when the store cannot answer
     */
    List<StoredVariable> list(String namespace, String pathPrefix) throws StateUnavailableException;

    /**
     * Creates or replaces a variable. Durable when it returns.
     *
     * @param variable the variable (its indexes and times are ignored)
     * @param expectedModifyIndex for check-and-set: 0 for "only if absent", N for "only if at index N"
     * @return the variable as stored, with its indexes and times
     * @throws CasConflictException when the check failed; nothing changed
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    StoredVariable put(StoredVariable variable, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException;

    /**
     * Deletes a variable. Durable when it returns.
     *
     * @param namespace a namespace
     * @param path a variable path
     * @param expectedModifyIndex for check-and-set: 0 for "only if absent", N for "only if at index N"
     * @return whether there was such a variable
     * @throws CasConflictException when the check failed; nothing changed
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    boolean delete(String namespace, String path, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException;
}
