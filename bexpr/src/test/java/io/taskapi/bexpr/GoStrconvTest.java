package io.taskapi.bexpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Go's strconv as bexpr uses it to coerce a filter value to a field's type. Every expected value and message is what
 * Go's {@code strconv} returns for the same text.
 */
class GoStrconvTest {

    @ParameterizedTest(name = "ParseInt({0}) = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "0|0", "5|5", "-5|-5", "+5|5", "0x1F|31", "0X1f|31", "0o17|15", "017|15", "0b101|5", "1_000|1000",
        "0x_1F|31", "9223372036854775807|9223372036854775807", "-9223372036854775808|-9223372036854775808"})
    void parsesIntegersLikeGo(String text, long expected) throws Exception {
        assertThat(GoStrconv.parseInt(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ParseInt({0}) fails")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "1__0|invalid syntax", "_1|invalid syntax", "1_|invalid syntax", "''|invalid syntax", "-|invalid syntax",
        "+-1|invalid syntax", "0x|invalid syntax", "08|invalid syntax", "1.0|invalid syntax", "abc|invalid syntax",
        "' 1'|invalid syntax", "9223372036854775808|value out of range", "-9223372036854775809|value out of range",
        // Go reports the overflow before it reaches the bad character
        "99999999999999999999x|value out of range"})
    void rejectsIntegersLikeGo(String text, String reason) {
        assertThatThrownBy(() -> GoStrconv.parseInt(text))
                .isInstanceOfSatisfying(GoStrconv.NumError.class,
                        e -> assertThat(e.isRange()).isEqualTo(reason.equals("value out of range")))
                .hasMessage("strconv.ParseInt: parsing " + GoStrconv.quote(text) + ": " + reason);
    }

    @ParameterizedTest(name = "ParseFloat({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "1.5|1.5", "-1.5|-1.5", "+.5|0.5", "1.|1", ".5|0.5", "1e5|100000", "1E+5|100000", "1e-5|0.00001",
        "1_000.5|1000.5", "0x1p-2|0.25", "0x1.8p1|3", "0X.8P1|1", "inf|Infinity", "-Inf|-Infinity",
        "+infinity|Infinity", "nan|NaN", "NaN|NaN", "1e-400|0", "00012.5|12.5"})
    void parsesFloatsLikeGo(String text, double expected) throws Exception {
        // compare, not ==, so that NaN equals NaN
        assertThat(Double.compare(GoStrconv.parseFloat(text), expected)).isZero();
    }

    @ParameterizedTest(name = "ParseFloat({0}) fails")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "1__0|invalid syntax", "0x1|invalid syntax", "infin|invalid syntax", "-nan|invalid syntax",
        "1.5x|invalid syntax", "''|invalid syntax", ".|invalid syntax", "e5|invalid syntax", "1e|invalid syntax",
        "1d|invalid syntax", "' 1'|invalid syntax", "0x1p|invalid syntax", "1e400|value out of range",
        "-1e400|value out of range"})
    void rejectsFloatsLikeGo(String text, String reason) {
        assertThatThrownBy(() -> GoStrconv.parseFloat(text))
                .isInstanceOf(GoStrconv.NumError.class)
                .hasMessage("strconv.ParseFloat: parsing " + GoStrconv.quote(text) + ": " + reason);
    }

    @ParameterizedTest(name = "ParseBool({0}) = {1}")
    @CsvSource({"1,true", "t,true", "T,true", "TRUE,true", "true,true", "True,true", "0,false", "f,false",
        "F,false", "FALSE,false", "false,false", "False,false"})
    void parsesBooleansLikeGo(String text, boolean expected) throws Exception {
        assertThat(GoStrconv.parseBool(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ParseBool({0}) fails")
    @CsvSource({"yes", "tRUE", "2", "on", "' true'"})
    void rejectsBooleansLikeGo(String text) {
        assertThatThrownBy(() -> GoStrconv.parseBool(text))
                .hasMessage("strconv.ParseBool: parsing " + GoStrconv.quote(text) + ": invalid syntax");
    }

    @ParameterizedTest(name = "Unquote({0}) = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "\"plain\"|plain", "\"a\\tb\"|'a\tb'", "\"\\x41\\101\\u00e9\\U0001F600\"|AAé😀", "\"\\\\\"|\\",
        "`raw\\n`|raw\\n", "'`a\r\nb`'|'a\nb'", "\"\\a\\b\\f\\v\\r\\n\"|'\u0007\b\f\u000b\r\n'",
        "\"\\xc3\\xa9\"|é"})
    void unquotesLikeGo(String literal, String expected) throws Exception {
        assertThat(GoStrconv.unquote(literal)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Unquote({0}) fails")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "\"\\'\"", "\"\\q\"", "\"\\400\"", "\"\\u00\"", "\"\\ud800\"", "'\"a\nb\"'", "\"a\\\"", "'\"'"})
    void rejectsWhatGoCannotUnquote(String literal) {
        assertThatThrownBy(() -> GoStrconv.unquote(literal))
                .isInstanceOf(GoStrconv.UnquoteException.class)
                .hasMessage("invalid syntax");
    }

    @ParameterizedTest(name = "Unquote({0}) is not UTF-8")
    @CsvSource(delimiter = '|', value = {"\"\\xff\"", "\"\\xc3\""})
    void rejectsBytesThatAreNotUtf8(String literal) {
        // Go keeps such bytes in its string; a Java string cannot hold them
        assertThatThrownBy(() -> GoStrconv.unquote(literal))
                .hasMessage("escapes spell bytes that are not valid UTF-8");
    }

    @ParameterizedTest(name = "Quote({0}) = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "plain|\"plain\"", "a\"b\\c|\"a\\\"b\\\\c\"", "'tab\there\n'|\"tab\\there\\n\"",
        "'\u0000\u001f\u007f'|\"\\x00\\x1f\\x7f\"", "é😀|\"é😀\"",
        "'\u0085\u00a0\u2028'|\"\\u0085\\u00a0\\u2028\"",
        "'\ufeff'|\"\\ufeff\""})
    void quotesLikeGo(String text, String expected) {
        assertThat(GoStrconv.quote(text)).isEqualTo(expected);
    }
}
