package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A Nomad ACL binding rule: which roles or policies (or management) a login through an auth method gets.
 *
 * @param id the rule's id (a UUID), fixed for its life
 * @param description free text
 * @param authMethod the name of the auth method it belongs to
 * @param selector a go-bexpr expression over the login's mapped claims; empty matches every login
 * @param bindType {@code role}, {@code policy} or {@code management}
 * @param bindName the role or policy name, possibly with {@code ${value.…}} placeholders; empty for management
 * @param createTime when it was created
 * @param modifyTime when it was last written
 * @param createIndex the store's index when it was first written (0 before it is stored)
 * @param modifyIndex the store's index when it was last written (0 before it is stored)
 * @since SPI 1.2
 */
public record AclBindingRule(String id, String description, String authMethod, String selector, String bindType,
                             String bindName, Instant createTime, Instant modifyTime, long createIndex,
                             long modifyIndex) {
    /**
     * Checks that nothing is missing.
     *
     * @param id see the record component of that name
     * @param description see the record component of that name
     * @param authMethod see the record component of that name
     * @param selector see the record component of that name
     * @param bindType see the record component of that name
     * @param bindName see the record component of that name
     * @param createTime see the record component of that name
     * @param modifyTime see the record component of that name
     * @param createIndex see the record component of that name
     * @param modifyIndex see the record component of that name
     */
    public AclBindingRule {
        requireNonNull(id, "id is null");
        requireNonNull(description, "description is null");
        requireNonNull(authMethod, "authMethod is null");
        requireNonNull(selector, "selector is null");
        requireNonNull(bindType, "bindType is null");
        requireNonNull(bindName, "bindName is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(modifyTime, "modifyTime is null");
    }

    /**
     * @param createIndex the index of the first write
     * @param modifyIndex the index of this write
     * @return this rule with the store's indexes
     */
    public AclBindingRule withIndexes(long createIndex, long modifyIndex) {
        return new AclBindingRule(id, description, authMethod, selector, bindType, bindName, createTime, modifyTime,
                createIndex, modifyIndex);
    }
}
