package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * A fine-grained capability of some ACL resource, known by the name policies write ({@code read-job}, …). The
 * capability enums name their constants after it: {@code READ_JOB} is {@code read-job}.
 */
public interface Capability {
    /** @return the enum constant's name (implemented by every enum) */
    String name();

    /** {@return the name as a policy writes it} */
    default String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param type a capability enum
     * @param wireName the name as a policy writes it
     * @param <E> the enum
     * @return the capability, if there is one by that name
     */
    static <E extends Enum<E> & Capability> Optional<E> fromWireName(Class<E> type, String wireName) {
        requireNonNull(wireName, "wireName is null");
        for (E capability : type.getEnumConstants()) {
            if (capability.wireName().equals(wireName)) {
                return Optional.of(capability);
            }
        }
        return Optional.empty();
    }
}
