package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.Sets;
import java.util.EnumSet;
import java.util.Set;

/** One capability set merged across policies, deny clearing it (Nomad's operator and sentinel capabilities). */
final class CapabilityUnion<C extends Enum<C>> {
    private final Set<C> set;
    private final C deny;

    CapabilityUnion(Class<C> type, C deny) {
        this.set = EnumSet.noneOf(requireNonNull(type, "type is null"));
        this.deny = requireNonNull(deny, "deny is null");
    }

    void mergeDenyWins(Set<C> capabilities) {
        if (set.contains(deny)) {
            return;
        }
        if (capabilities.contains(deny)) {
            set.clear();
            set.add(deny);
        } else {
            set.addAll(capabilities);
        }
    }

    Set<C> build() {
        return Sets.immutableEnumSet(set);
    }
}
