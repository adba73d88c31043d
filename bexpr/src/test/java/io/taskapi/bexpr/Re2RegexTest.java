package io.taskapi.bexpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go RE2 syntax and semantics on RE2/J. The cases are where Go's dialect differs from others (anchors, dot, classes,
 * escapes, flags, case folding) and where RE2/J's parser differs from Go's (nested counts, shared group names,
 * messages); every expected result and message is Go's {@code regexp} (the one bexpr uses for {@code matches}).
 */
class Re2RegexTest {

    static Stream<Arguments> matches() {
        return Stream.of(
                re("abc$", "abc\n", false),
                re("abc$", "abc", true),
                re("^abc", "x\nabc", false),
                re("(?m)^abc", "x\nabc", true),
                re("(?m)abc$", "abc\nx", true),
                re("(?m)^$", "a\n", true),
                re("a.c", "a\rc", true),
                re("a.c", "a\nc", false),
                re("(?s)a.c", "a\nc", true),
                re("a.c", "a\u2028c", true),
                re("a.c", "a\ud83d\ude00c", true),
                re("a\\sb", "a\u000bb", false),
                re("a\\sb", "a\tb", true),
                re("a[[:space:]]b", "a\u000bb", true),
                re("a\\Sb", "a\u000bb", true),
                re("\\bé", "xé", true),
                re("\\bx", "éx", true),
                re("\\Bx", "éx", false),
                re("\\w", "é", false),
                re("\\d", "٣", false),
                re("[[:alpha:]]", "é", false),
                re("\\pL", "é", true),
                re("\\p{Greek}", "α", true),
                re("\\p{Greek}", "a", false),
                re("\\PL", "1", true),
                re("[a&&b]", "&", true),
                re("[a&&b]", "a", true),
                re("[[a]]", "[", false),
                re("[[a]]", "a]", true),
                re("[]a]", "]", true),
                re("[^]a]", "b", true),
                re("[a-]", "-", true),
                re("[\\d\\s]", " ", true),
                re("(?i)k", "K", true),
                re("(?i)s", "ſ", true),
                re("(?i)σ", "ς", true),
                re("(?i)é", "É", true),
                re("(?i)[a-z]", "K", true),
                re("(?i)\\w", "ſ", true),
                re("(?i)ß", "ẞ", true),
                re("(?i:a)b", "AB", false),
                re("(?i)a(?-i)b", "AB", false),
                re("(?U)a+", "aaa", true),
                re("a{2}", "a", false),
                re("a{2,}", "aaa", true),
                re("x{0}y", "y", true),
                re("a{,2}", "a{,2}", true),
                re("\\Qa.b\\E", "axb", false),
                re("\\Qa.b", "a.b", true),
                re("\\x41", "A", true),
                re("\\x{1F600}", "\ud83d\ude00", true),
                re("\\101", "A", true),
                re("\\0", "\u0000", true),
                re("\\A", "", true),
                re("\\z", "", true),
                re("a\\z", "a\n", false),
                re("", "anything", true),
                re("(|a)", "", true),
                re("a|b|", "c", true),
                re("(?i)(?P<word>HELLO)", "hello", true),
                re("^*a", "a", true),
                re("(?i)i", "ı", false),
                re("(?i)i", "İ", false),
                re("(?i)I", "ı", false),
                re("(?i)ı", "I", false),
                re("(?i)İ", "i", false),
                re("(?i)ß", "ẞ", true),
                re("(?i)ẞ", "ß", true),
                re("(?i)ß", "SS", false),
                re("(?i)\\p{Lu}", "a", true),
                re("(?i)\\p{Lu}", "1", false),
                re("(?i)[^k]", "K", false),
                re("(?i)[^k]", "K", false),
                re("(?i)\\P{Lu}", "a", false),
                re("(?i)[[:upper:]]", "a", true),
                re("(?i)[[:^upper:]]", "a", false),
                re("(?i)\\W", "ſ", false),
                re("(?i)[^\\W]", "ſ", true),
                re("(?i)\\p{Greek}", "ͅ", true),
                re("(?i)θ", "ϴ", true),
                re("(?i)θ", "ϑ", true),
                re("(?i)ǅ", "ǆ", true),
                re("(?i)ǅ", "Ǆ", true),
                re("(?i)µ", "μ", true),
                re("(?i)µ", "Μ", true),
                re("(?i)[a-z]", "ſ", true),
                re("(?i)[a-z]", "K", true),
                re("(?i)[^a-z]", "ſ", false),
                re("(?i)ꭰ", "Ꭰ", true),
                re("(?i)ẛ", "ṡ", true),
                re("(?i)\\x{10400}", "\ud801\udc28", true),
                re("(?i)[\\x{10400}-\\x{10410}]", "\ud801\udc28", true),
                // RE2/J reads UTF-16, Go UTF-8: both match code points, so a surrogate pair is one character
                re("^.$", "\ud83d\ude00", true),
                re("^..$", "\ud83d\ude00", false),
                re("^[^a]$", "\ud83d\ude00", true),
                re("(?i)^\\x{10428}$", "\ud801\udc00", true),
                // RE2/J rejects two groups of one name; Go does not, and names do not change what matches
                re("(?P<a>x)|(?P<a>y)", "y", true),
                re("(?P<a>x)(?<a>y)", "xy", true),
                re("(?P<a>x)(?P<a>y)", "yx", false),
                re("[(?P<a>]x(?P<a>y)", "<xy", true),
                // scripts newer than RE2/J's tables (Unicode 6.0), which Go knows
                re("\\p{Adlam}", "\uD83A\uDD00", true),
                re("\\p{Adlam}", "a", false),
                re("^\\P{Adlam}$", "a", true),
                re("^\\p{^Adlam}$", "\uD83A\uDD00", false),
                re("^[\\p{Adlam}x]$", "\uD83A\uDD22", true),
                re("^[\\P{Adlam}]$", "\uD83A\uDD00", false),
                re("^[\\P{Adlam}]$", "a", true),
                re("^[^\\P{Adlam}]$", "\uD83A\uDD00", true),
                re("\\p{Chakma}", "\uD804\uDD00", true),
                re("\\p{SignWriting}", "\uD836\uDC00", true),
                re("[\\p{Greek}]", "α", true),
                // nested counts that multiply to 1000 are allowed; a count of 0 or 1 adds no copies
                re("(x{10}){100}", "x", false),
                re("((a{2}){2}){250}", "aaaa", false),
                re("(x{1000}){0,1}", "", true),
                re("(x{1000}){0}y", "y", true),
                re("\\Q(x{100}\\E{11}", "(x{100" + "}".repeat(11), true),
                re("[(](x{10}){100}", "(", false),
                re("(?i)\\pL", "1", false),
                re("(?i)[^\\pL]", "a", false));
    }

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @MethodSource("matches")
    void matchesLikeGo(String regex, String input, boolean expected) throws Exception {
        assertThat(Re2Regex.compile(regex).find(input)).isEqualTo(expected);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                bad("[", "error parsing regexp: missing closing ]: `[`"),
                bad("[a", "error parsing regexp: missing closing ]: `[a`"),
                bad("(a", "error parsing regexp: missing closing ): `(a`"),
                bad("a)", "error parsing regexp: unexpected ): `a)`"),
                bad("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
                bad("a{2}{3}", "error parsing regexp: invalid nested repetition operator: `{2}{3}`"),
                bad("*", "error parsing regexp: missing argument to repetition operator: `*`"),
                bad("(*a)", "error parsing regexp: missing argument to repetition operator: `*`"),
                bad("a|*", "error parsing regexp: missing argument to repetition operator: `*`"),
                bad("x{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
                bad("(x{100}){11}", "error parsing regexp: invalid repeat count: `{11}`"),
                bad("x{3,1}", "error parsing regexp: invalid repeat count: `{3,1}`"),
                bad("\\8", "error parsing regexp: invalid escape sequence: `\\8`"),
                bad("\\1", "error parsing regexp: invalid escape sequence: `\\1`"),
                bad("\\C", "error parsing regexp: invalid escape sequence: `\\C`"),
                bad("\\Z", "error parsing regexp: invalid escape sequence: `\\Z`"),
                bad("\\e", "error parsing regexp: invalid escape sequence: `\\e`"),
                bad("\\q", "error parsing regexp: invalid escape sequence: `\\q`"),
                bad("\\", "error parsing regexp: trailing backslash at end of expression: ``"),
                bad("\\x{110000}", "error parsing regexp: invalid escape sequence: `\\x{110000`"),
                bad("\\xZZ", "error parsing regexp: invalid escape sequence: `\\xZZ`"),
                bad("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
                bad("[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`"),
                bad("\\pX", "error parsing regexp: invalid character class range: `\\pX`"),
                bad("\\p{greek}", "error parsing regexp: invalid character class range: `\\p{greek}`"),
                bad("\\p{Greek", "error parsing regexp: invalid character class range: `\\p{Greek`"),
                bad("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
                bad("(?!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"),
                bad("(?#c)", "error parsing regexp: invalid or unsupported Perl syntax: `(?#`"),
                bad("(?P=n)", "error parsing regexp: invalid or unsupported Perl syntax: `(?P`"),
                bad("(?P<a-b>x)", "error parsing regexp: invalid named capture: `(?P<a-b>`"),
                bad("(?-)a", "error parsing regexp: invalid or unsupported Perl syntax: `(?-)`"),
                bad("(?i-)a", "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`"),
                bad("(?x)a", "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"),
                bad("(?", "error parsing regexp: invalid or unsupported Perl syntax: `(?`"),
                bad("a++", "error parsing regexp: invalid nested repetition operator: `++`"),
                bad("a*+", "error parsing regexp: invalid nested repetition operator: `*+`"),
                bad("[a-\\d]", "error parsing regexp: invalid escape sequence: `\\d`"),
                bad("[\\Q]", "error parsing regexp: invalid escape sequence: `\\Q`"),
                bad("[\\b]", "error parsing regexp: invalid escape sequence: `\\b`"),
                // Go checks repetitions nested in a counted one (their counts multiply); RE2/J does not
                bad("(x{100}){11}?", "error parsing regexp: invalid repeat count: `{11}?`"),
                bad("(?:x{2}|y{600}){2}", "error parsing regexp: invalid repeat count: `{2}`"),
                bad("(?P<n>(a{10}){10}){11}", "error parsing regexp: invalid repeat count: `{11}`"),
                bad("(x{1000}){2,}", "error parsing regexp: invalid repeat count: `{2,}`"),
                // RE2/J would expand this into a billion instructions; it is refused before RE2/J sees it
                bad("((a{1000}){1000}){1000}", "error parsing regexp: invalid repeat count: `{1000}`"),
                bad("(?i)(x{500}){1,3}", "error parsing regexp: invalid repeat count: `{1,3}`"),
                // Go knows no script Unknown, nor other spellings or aliases of a script's name
                bad("\\p{Unknown}", "error parsing regexp: invalid character class range: `\\p{Unknown}`"),
                bad("[a\\P{Unknown}]", "error parsing regexp: invalid character class range: `\\P{Unknown}`"),
                bad("\\p{adlam}", "error parsing regexp: invalid character class range: `\\p{adlam}`"),
                bad("\\p{ADLAM}", "error parsing regexp: invalid character class range: `\\p{ADLAM}`"),
                bad("\\p{Adlm}", "error parsing regexp: invalid character class range: `\\p{Adlm}`"),
                bad("(\\p{Adlam}", "error parsing regexp: missing closing ): `(\\p{Adlam}`"),
                // and words two errors differently from RE2/J
                bad("(a))", "error parsing regexp: unexpected ): `(a))`"),
                bad("a\\", "error parsing regexp: trailing backslash at end of expression: ``"),
                bad("(?P<a>x)(?P<a>y", "error parsing regexp: missing closing ): `(?P<a>x)(?P<a>y`"),
                bad("(?P<a>x)(?P<a>y)(?P<->z)", "error parsing regexp: invalid named capture: `(?P<->`"),
                // Go 1.22 reads "(?<" as the start of a named group, so lookbehind fails as a bad name
                bad("(?<=a)", "error parsing regexp: invalid named capture: `(?<=a)`"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWhatGoRejects(String regex, String message) {
        assertThatThrownBy(() -> Re2Regex.compile(regex))
                .isInstanceOf(Re2Regex.SyntaxException.class)
                .hasMessage(message);
    }

    @Test
    void refusesAProgramOverTheSizeLimitAsGoRefusesALargerOne() throws Exception {
        String fits = "\\pL{1000}".repeat(99);
        String over = "\\pL{1000}".repeat(101);

        assertThat(Re2Regex.compile(fits).programSize()).isLessThanOrEqualTo((int) Re2Regex.MAX_PROGRAM_SIZE);
        assertThatThrownBy(() -> Re2Regex.compile(over))
                .isInstanceOf(Re2Regex.SyntaxException.class)
                .hasMessage("error parsing regexp: expression too large: `" + over + "`");
        assertThatThrownBy(() -> Re2Regex.compile("a{1000}", 999))
                .hasMessage("error parsing regexp: expression too large: `a{1000}`");
    }

    @Test
    void acceptsBothNamedGroupSyntaxes() throws Exception {
        assertThat(Re2Regex.compile("(?P<year>\\d{4})-(?<month>\\d{2})").find("on 2024-05-01")).isTrue();
    }

    private static Arguments re(String regex, String input, boolean expected) {
        return arguments(regex, input, expected);
    }

    private static Arguments bad(String regex, String message) {
        return arguments(regex, message);
    }
}
