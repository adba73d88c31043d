package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * A Nomad ACL auth method: how an external identity (a JWT) is exchanged for an ACL token at login.
 *
 * @param name its name, unique
 * @param type its type, e.g. {@code JWT}
 * @param tokenLocality {@code local} or {@code global}
 * @param maxTokenTtl how long the tokens it creates live
 * @param isDefault whether it is the default method
 * @param config the method's {@code Config} object as JSON text, exactly as the plugin validated it; a store keeps
 *     it as it is and never interprets it
 * @param createTime when it was created
 * @param modifyTime when it was last written
 * @param createIndex the store's index when it was first written (0 before it is stored)
 * @param modifyIndex the store's index when it was last written (0 before it is stored)
 * @since SPI 1.2
 */
public record AclAuthMethod(String name, String type, String tokenLocality, Duration maxTokenTtl, boolean isDefault,
                            String config, Instant createTime, Instant modifyTime, long createIndex,
                            long modifyIndex) {
    /**
     * Checks that nothing is missing.
     *
     * @param name see the record component of that name
     * @param type see the record component of that name
     * @param tokenLocality see the record component of that name
     * @param maxTokenTtl see the record component of that name
     * @param isDefault see the record component of that name
     * @param config see the record component of that name
     * @param createTime see the record component of that name
     * @param modifyTime see the record component of that name
     * @param createIndex see the record component of that name
     * @param modifyIndex see the record component of that name
     */
    public AclAuthMethod {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(tokenLocality, "tokenLocality is null");
        requireNonNull(maxTokenTtl, "maxTokenTtl is null");
        requireNonNull(config, "config is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(modifyTime, "modifyTime is null");
    }

    /**
     * @param createIndex the index of the first write
     * @param modifyIndex the index of this write
     * @return this method with the store's indexes
     */
    public AclAuthMethod withIndexes(long createIndex, long modifyIndex) {
        return new AclAuthMethod(name, type, tokenLocality, maxTokenTtl, isDefault, config, createTime, modifyTime,
                createIndex, modifyIndex);
    }
}
