package io.taskapi.plugin.filter;

import java.util.regex.Pattern;

/**
 * The items of a Java character class, every character written as an escape. Under {@code (?i)} each item is
 * closed under case folding first, and only then negated, as Go does.
 */
final class Re2CharClass {

    private final boolean fold;
    private final StringBuilder items = new StringBuilder();

    Re2CharClass(boolean fold) {
        this.fold = fold;
    }

    /** A character as Java pattern text: ASCII letters and digits as themselves, anything else as an escape. */
    static String escape(int cp) {
        if (Re2Translator.isAlnum(cp)) {
            return String.valueOf((char) cp);
        }
        return "\\x{" + Integer.toHexString(cp) + "}";
    }

    void addRange(int lo, int hi) {
        items.append(range(lo, hi));
        if (fold) {
            items.append(CaseFolding.membersOfOrbitsWhere(cp -> cp >= lo && cp <= hi));
        }
    }

    void addRanges(int[] ranges, boolean negated) {
        StringBuilder set = new StringBuilder();
        for (int k = 0; k < ranges.length; k += 2) {
            set.append(range(ranges[k], ranges[k + 1]));
        }
        if (fold) {
            set.append(CaseFolding.membersOfOrbitsWhere(cp -> {
                for (int k = 0; k < ranges.length; k += 2) {
                    if (cp >= ranges[k] && cp <= ranges[k + 1]) {
                        return true;
                    }
                }
                return false;
            }));
        }
        add(set, negated);
    }

    void addProperty(String property, boolean negated) {
        String text = "\\p{" + property + "}";
        StringBuilder set = new StringBuilder(text);
        if (fold) {
            Pattern member = Pattern.compile(text);
            set.append(CaseFolding.membersOfOrbitsWhere(
                    cp -> member.matcher(new String(Character.toChars(cp))).matches()));
        }
        add(set, negated);
    }

    private void add(CharSequence set, boolean negated) {
        // a negated group inside a class is a nested class: Java unions nested classes
        if (negated) {
            items.append("[^").append(set).append(']');
        } else {
            items.append(set);
        }
    }

    private static String range(int lo, int hi) {
        return lo == hi ? escape(lo) : escape(lo) + "-" + escape(hi);
    }

    String build(boolean negated) {
        return "[" + (negated ? "^" : "") + items + "]";
    }
}
