package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The coarse {@code policy = "…"} of a block. Which ones a block accepts: {@code deny}, {@code read}, {@code write}
 * and {@code scale} everywhere except {@code plugin}, which takes {@code deny}, {@code read}, {@code list} and
 * {@code write} (Nomad's {@code isPolicyValid} and {@code PluginPolicy.isValid}). {@code scale} only grants something
 * in a namespace; elsewhere it parses and grants nothing.
 */
public enum PolicyDisposition {
    /** {@code deny}: wins over everything else. */
    DENY("deny"),
    /** {@code read}. */
    READ("read"),
    /** {@code list}: only in a {@code plugin} block. */
    LIST("list"),
    /** {@code write}. */
    WRITE("write"),
    /** {@code scale}: scaling capabilities in a namespace; nothing elsewhere. */
    SCALE("scale");

    private static final Map<String, PolicyDisposition> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(PolicyDisposition::wireName, Function.identity()));

    private final String wireName;

    PolicyDisposition(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @param wireName the name as a policy writes it
     * @return the disposition, if there is one by that name
     */
    public static Optional<PolicyDisposition> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(requireNonNull(wireName, "wireName is null")));
    }

    /** {@return the name as a policy writes it} */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
