package io.taskapi.spi.compat;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The incompatible SPI changes made on purpose since the baseline, each with its reason: one per line,
 * {@code <element>: <CHANGE_TYPE> | <reason>}, as {@link SpiCompatibility} names them. Blank lines and lines starting
 * with {@code #} are comments. An entry without a reason is refused.
 *
 * @param reasons the reason for each accepted change, in file order
 */
record AcceptedChanges(Map<String, String> reasons) {
    AcceptedChanges {
        reasons = Map.copyOf(requireNonNull(reasons, "reasons is null"));
    }

    /**
     * Reads the file's text.
     *
     * @param text the file's content
     * @return its entries
     * @throws IllegalArgumentException naming every malformed line
     */
    static AcceptedChanges parse(String text) {
        Map<String, String> reasons = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int bar = line.indexOf('|');
            String change = bar < 0 ? line : line.substring(0, bar).strip();
            String reason = bar < 0 ? "" : line.substring(bar + 1).strip();
            if (reason.isEmpty()) {
                problems.add("line " + (i + 1) + ": no reason after '|': " + line);
            } else if (reasons.putIfAbsent(change, reason) != null) {
                problems.add("line " + (i + 1) + ": listed twice: " + change);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new AcceptedChanges(reasons);
    }

    /**
     * Checks {@code changes} against the entries.
     *
     * @param changes the incompatible changes found
     * @return the problems: each change not accepted, and each entry that matches no change (stale: after the baseline
     *         is regenerated, the list starts empty again); empty when the changes are exactly the accepted ones
     */
    List<String> problems(List<String> changes) {
        List<String> problems = new ArrayList<>();
        for (String change : changes) {
            if (!reasons.containsKey(change)) {
                problems.add("incompatible, not accepted: " + change);
            }
        }
        Set<String> stale = new TreeSet<>(reasons.keySet());
        changes.forEach(stale::remove);
        for (String entry : stale) {
            problems.add("accepted, but no such change (remove the entry): " + entry);
        }
        return problems;
    }
}
