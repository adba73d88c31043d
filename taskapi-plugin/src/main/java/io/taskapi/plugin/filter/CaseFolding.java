package io.taskapi.plugin.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Go's {@code (?i)}: Unicode simple case folding (CaseFolding.txt, statuses C and S). Characters that fold to the
 * same character form an orbit (k, K and the Kelvin sign U+212A; s, S and the long s U+017F; ß and U+1E9E); a
 * folded literal matches its whole orbit. Java's upper-then-lower mapping gives the same orbits except for the Turkic
 * dotted and dotless i, which fold only under the Turkic (T) status that Go leaves out.
 */
final class CaseFolding {

    private static final Map<Integer, int[]> ORBITS = orbits();

    private CaseFolding() {
    }

    static int[] orbit(int cp) {
        int[] orbit = ORBITS.get(key(cp));
        return orbit == null ? new int[] {cp} : orbit;
    }

    /** Every member of every orbit (of two or more) that has a member accepted by the test. */
    static String membersOfOrbitsWhere(IntPredicate test) {
        StringBuilder out = new StringBuilder();
        for (int[] orbit : ORBITS.values()) {
            for (int member : orbit) {
                if (test.test(member)) {
                    for (int m : orbit) {
                        out.append(Re2CharClass.escape(m));
                    }
                    break;
                }
            }
        }
        return out.toString();
    }

    private static int key(int cp) {
        if (cp == 0x130 || cp == 0x131) {
            return cp;
        }
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    private static Map<Integer, int[]> orbits() {
        // one pass: every character that folds to another joins that one's orbit
        Map<Integer, List<Integer>> members = new TreeMap<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int key = key(cp);
            if (key != cp) {
                members.computeIfAbsent(key, k -> new ArrayList<>(List.of(k))).add(cp);
            }
        }
        Map<Integer, int[]> orbits = new LinkedHashMap<>();
        members.forEach((key, list) -> orbits.put(key, list.stream().mapToInt(Integer::intValue).sorted()
                .toArray()));
        return Collections.unmodifiableMap(orbits);
    }
}
