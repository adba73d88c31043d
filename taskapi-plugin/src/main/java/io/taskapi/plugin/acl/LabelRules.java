package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Sets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Capability sets by label, compiled: exact labels in a hash map, glob labels precompiled and kept in Nomad's radix
 * tree order (by UTF-8 bytes), so that a lookup is one map probe and, failing that, one pass over the globs.
 */
final class LabelRules<C extends Enum<C>> {
    private record GlobRule<C extends Enum<C>>(Glob glob, Set<C> capabilities) {}

    private final Map<String, Set<C>> exact;
    private final List<GlobRule<C>> globs;

    private LabelRules(Map<String, Set<C>> exact, List<GlobRule<C>> globs) {
        this.exact = exact;
        this.globs = globs;
    }

    /** {@return the set of an exact label, or null} */
    Set<C> exact(String name) {
        return exact.get(name);
    }

    /**
     * Nomad's {@code findClosestMatchingGlob}: the matching glob with the smallest difference (the most literal bytes).
     * Nomad stable-sorts the matches with {@code a <= b}, which puts later ties first: so on a tie the pattern that
     * sorts last by bytes wins, hence {@code >=} while walking in byte order.
     *
     * @return the closest glob's set, or null when no glob matches
     */
    Set<C> closestGlob(String name) {
        Set<C> best = null;
        int bestLiteral = -1;
        for (GlobRule<C> rule : globs) {
            if (rule.glob().literalBytes() >= bestLiteral && rule.glob().matches(name)) {
                best = rule.capabilities();
                bestLiteral = rule.glob().literalBytes();
            }
        }
        return best;
    }

    /** {@return the exact label's set, else the closest glob's, else null} */
    Set<C> match(String name) {
        Set<C> set = exact.get(name);
        return set != null ? set : closestGlob(name);
    }

    /** {@return the glob patterns that match, in the order Nomad walks them (for tests)} */
    List<String> matchingGlobs(String name) {
        return globs.stream().filter(r -> r.glob().matches(name)).map(r -> r.glob().pattern()).toList();
    }

    /** {@return every set, exact and glob} */
    Collection<Set<C>> allSets() {
        List<Set<C>> all = new ArrayList<>(exact.values());
        globs.forEach(r -> all.add(r.capabilities()));
        return all;
    }

    /** Collects rules label by label while policies are merged. */
    static final class Builder<C extends Enum<C>> {
        private final Class<C> type;
        private final C deny;
        private final Map<String, Set<C>> sets = new LinkedHashMap<>();

        Builder(Class<C> type, C deny) {
            this.type = requireNonNull(type, "type is null");
            this.deny = requireNonNull(deny, "deny is null");
        }

        /**
         * Namespaces, node pools, host volumes: union into the label's set, unless it is denied; a deny in the rule
         * leaves only {@code {deny}}. The label gets a set even when the rule grants nothing: an exact label with an
         * empty set still shadows every glob.
         */
        void mergeDenyWins(String label, Set<C> capabilities) {
            Set<C> set = setFor(label);
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

        /** Variables: a plain union, deny included, never clearing (Nomad's NewACL for variable paths). */
        void union(String label, Set<C> capabilities) {
            setFor(label).addAll(capabilities);
        }

        private Set<C> setFor(String label) {
            requireNonNull(label, "label is null");
            return sets.computeIfAbsent(label, k -> EnumSet.noneOf(type));
        }

        LabelRules<C> build() {
            ImmutableMap.Builder<String, Set<C>> exact = ImmutableMap.builder();
            List<GlobRule<C>> globs = new ArrayList<>();
            for (Map.Entry<String, Set<C>> entry : sets.entrySet()) {
                Set<C> frozen = Sets.immutableEnumSet(entry.getValue());
                if (entry.getKey().indexOf('*') >= 0) {
                    globs.add(new GlobRule<>(Glob.compile(entry.getKey()), frozen));
                } else {
                    exact.put(entry.getKey(), frozen);
                }
            }
            globs.sort((a, b) -> Glob.BYTE_ORDER.compare(a.glob(), b.glob()));
            return new LabelRules<>(exact.build(), List.copyOf(globs));
        }
    }
}
