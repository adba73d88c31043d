package io.taskapi.bexpr;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Go's {@code \p{Script}} for the scripts RE2/J's tables lack. RE2/J 1.8 knows the script names of Unicode 6.0 (no
 * {@code Adlam}, {@code Chakma}, {@code Osage}, ...), and knows {@code Unknown}, which Go does not; Go 1.22 knows those
 * of Unicode 15.0. So an expression naming a newer script gets it spelled out as ranges from the JDK's Unicode data
 * (Unicode 13 on Java 17: a script newer than that is still rejected, as it was by older Go), and {@code Unknown} is
 * rejected, with Go's message.
 */
final class UnicodeScripts {

    // RE2/J's script names (UnicodeTables.SCRIPTS), Unicode 6.0
    private static final Set<String> RE2J = Set.of("Arabic", "Armenian", "Avestan", "Balinese", "Bamum", "Batak",
            "Bengali", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid", "Canadian_Aboriginal", "Carian", "Cham",
            "Cherokee", "Common", "Coptic", "Cuneiform", "Cypriot", "Cyrillic", "Deseret", "Devanagari",
            "Egyptian_Hieroglyphs", "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Greek", "Gujarati", "Gurmukhi",
            "Han", "Hangul", "Hanunoo", "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited",
            "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi", "Kannada", "Katakana",
            "Kayah_Li", "Kharoshthi", "Khmer", "Lao", "Latin", "Lepcha", "Limbu", "Linear_B", "Lisu", "Lycian",
            "Lydian", "Malayalam", "Mandaic", "Meetei_Mayek", "Mongolian", "Myanmar", "New_Tai_Lue", "Nko", "Ogham",
            "Ol_Chiki", "Old_Italic", "Old_Persian", "Old_South_Arabian", "Old_Turkic", "Oriya", "Osmanya",
            "Phags_Pa", "Phoenician", "Rejang", "Runic", "Samaritan", "Saurashtra", "Shavian", "Sinhala",
            "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet", "Tamil",
            "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Ugaritic", "Vai", "Yi");

    private UnicodeScripts() {
    }

    /** Whether Go knows no script of this name, though RE2/J does. */
    static boolean unknownToGo(String name) {
        return name.equals("Unknown");
    }

    /**
     * The code points of a script Go knows and RE2/J does not, as RE2 class ranges ({@code \x{1E900}-\x{1E94B}...});
     * their complement if {@code negated}. Empty for a script RE2/J knows, or that neither knows.
     */
    static Optional<String> ranges(String name, boolean negated) {
        if (RE2J.contains(name)) {
            return Optional.empty();
        }
        Character.UnicodeScript script;
        try {
            script = Character.UnicodeScript.forName(name);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Go's names are exact (Old_Italic; SignWriting), with no aliases (Latn) and no Unknown
        if (script == Character.UnicodeScript.UNKNOWN || !goName(script).equals(name)) {
            return Optional.empty();
        }
        int[] bounds = Holder.RANGES.get(script);
        StringBuilder out = new StringBuilder();
        if (!negated) {
            for (int k = 0; k < bounds.length; k += 2) {
                append(out, bounds[k], bounds[k + 1]);
            }
        } else {
            int next = 0;
            for (int k = 0; k < bounds.length; k += 2) {
                if (bounds[k] > next) {
                    append(out, next, bounds[k] - 1);
                }
                next = bounds[k + 1] + 1;
            }
            if (next <= Character.MAX_CODE_POINT) {
                append(out, next, Character.MAX_CODE_POINT);
            }
        }
        return Optional.of(out.toString());
    }

    private static void append(StringBuilder out, int lo, int hi) {
        out.append("\\x{").append(Integer.toHexString(lo)).append("}-\\x{").append(Integer.toHexString(hi))
                .append('}');
    }

    private static String goName(Character.UnicodeScript script) {
        if (script == Character.UnicodeScript.SIGNWRITING) {
            return "SignWriting";
        }
        StringBuilder name = new StringBuilder();
        for (String part : script.name().split("_")) {
            if (name.length() > 0) {
                name.append('_');
            }
            name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** Every script's code points as {lo, hi, lo, hi, ...}, built on first use (one pass over the code points). */
    private static final class Holder {
        static final Map<Character.UnicodeScript, int[]> RANGES = build();

        private static Map<Character.UnicodeScript, int[]> build() {
            Map<Character.UnicodeScript, List<Integer>> bounds = new EnumMap<>(Character.UnicodeScript.class);
            int start = 0;
            Character.UnicodeScript current = Character.UnicodeScript.of(0);
            for (int cp = 1; cp <= Character.MAX_CODE_POINT + 1; cp++) {
                Character.UnicodeScript next = cp > Character.MAX_CODE_POINT ? null : Character.UnicodeScript.of(cp);
                if (next != current) {
                    List<Integer> list = bounds.computeIfAbsent(current, k -> new ArrayList<>());
                    list.add(start);
                    list.add(cp - 1);
                    start = cp;
                    current = next;
                }
            }
            Map<Character.UnicodeScript, int[]> ranges = new EnumMap<>(Character.UnicodeScript.class);
            bounds.forEach((script, list) -> ranges.put(script, list.stream().mapToInt(Integer::intValue).toArray()));
            return ranges;
        }
    }
}
