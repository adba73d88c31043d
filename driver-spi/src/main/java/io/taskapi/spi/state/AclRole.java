package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Nomad ACL role: a named set of policies that tokens reference by id.
 *
 * @param id the role's id (a UUID), fixed for its life
 * @param name its name, unique among roles
 * @param description free text
 * @param policies the names of its policies
 * @param createIndex the store's index when it was first written (0 before it is stored)
 * @param modifyIndex the store's index when it was last written (0 before it is stored)
 * @since SPI 1.2
 */
public record AclRole(String id, String name, String description, List<String> policies, long createIndex,
                      long modifyIndex) {
    /**
     * Copies the policy list and checks that nothing is missing.
     *
     * @param id see the record component of that name
     * @param name see the record component of that name
     * @param description see the record component of that name
     * @param policies see the record component of that name
     * @param createIndex see the record component of that name
     * @param modifyIndex see the record component of that name
     */
    public AclRole {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        policies = List.copyOf(requireNonNull(policies, "policies is null"));
    }

    /**
     * @param createIndex the index of the first write
     * @param modifyIndex the index of this write
     * @return this role with the store's indexes
     */
    public AclRole withIndexes(long createIndex, long modifyIndex) {
        return new AclRole(id, name, description, policies, createIndex, modifyIndex);
    }
}
