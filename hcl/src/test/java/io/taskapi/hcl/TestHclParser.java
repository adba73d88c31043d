package io.taskapi.hcl;

import static io.taskapi.hcl.HclTesting.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.taskapi.hcl.HclTesting.Null;
import io.taskapi.hcl.HclTesting.Num;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TestHclParser {

    private static HclValue valueOf(String source) {
        HclBody body = HclParser.parse(source);
        assertThat(body.blocks()).isEmpty();
        assertThat(body.attributes()).hasSize(1);
        return body.attributes().get(0).value();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    // ---------------------------------------------------------------- values

    static Stream<Arguments> values() {
        return Stream.of(
                arguments("plain string", "v = \"plain\"", "plain"),
                arguments("empty string", "v = \"\"", ""),
                arguments("escapes", "v = \"a\\nb\\tc\\\"d\\\\e\\rf\"", "a\nb\tc\"d\\e\rf"),
                arguments("unicode escapes", "v = \"\\u00e9\\U0001F600\"", "é😀"),
                arguments("interpolation kept verbatim", "v = \"${NOMAD_META_x}/y\"", "${NOMAD_META_x}/y"),
                arguments("quotes inside interpolation", "v = \"${lookup(m, \"k\")}!\"", "${lookup(m, \"k\")}!"),
                arguments("backslashes inside interpolation kept", "v = \"${a(\"\\\"\")}\"", "${a(\"\\\"\")}"),
                arguments("nested braces inside interpolation", "v = \"${ {a = 1}.a }\"", "${ {a = 1}.a }"),
                arguments("escaped interpolation kept", "v = \"$${x} %%{y}\"", "$${x} %%{y}"),
                arguments("directive kept", "v = \"%{ if x }y%{ endif }\"", "%{ if x }y%{ endif }"),
                arguments("lone dollar and percent", "v = \"$5 and 100%\"", "$5 and 100%"),
                arguments("heredoc", "v = <<EOF\nhello\n  world\nEOF", "hello\n  world\n"),
                arguments("heredoc other marker", "v = <<POLICY\nx\nPOLICY\n", "x\n"),
                arguments("heredoc closing marker indented", "v = <<EOF\n  x\n  EOF\n", "  x\n"),
                arguments("heredoc keeps templates and backslashes", "v = <<EOF\n${x} \\n \"q\"\nEOF\n",
                        "${x} \\n \"q\"\n"),
                arguments("heredoc empty", "v = <<EOF\nEOF\n", ""),
                arguments("heredoc marker text inside a line", "v = <<EOF\nnot EOF\nEOF\n", "not EOF\n"),
                arguments("heredoc crlf", "v = <<EOF\r\nx\r\nEOF\r\n", "x\n"),
                arguments("indented heredoc strips common indent", "v = <<-EOF\n    a\n      b\n    EOF\n",
                        "a\n  b\n"),
                arguments("indented heredoc ignores blank lines", "v = <<-EOT\n  a\n\n  b\nEOT\n", "a\n\nb\n"),
                arguments("indented heredoc least indented line wins", "v = <<-EOT\n    a\n  b\n    c\nEOT\n",
                        "  a\nb\n  c\n"),
                arguments("integer", "v = 42", Num.integer("42")),
                arguments("zero", "v = 0", Num.integer("0")),
                arguments("negative integer", "v = -7", Num.integer("-7")),
                arguments("integer beyond long", "v = 12345678901234567890",
                        Num.integer("12345678901234567890")),
                arguments("decimal", "v = 1.5", Num.decimal("1.5")),
                arguments("decimal keeps its scale", "v = 2.50", Num.decimal("2.50")),
                arguments("exponent", "v = 1e3", Num.decimal("1e3")),
                arguments("negative exponent", "v = -2.5E-2", Num.decimal("-2.5E-2")),
                arguments("true", "v = true", true),
                arguments("false", "v = false", false),
                arguments("null", "v = null", Null.NULL),
                arguments("empty list", "v = []", List.of()),
                arguments("list with trailing comma", "v = [\"a\", \"b\",]", List.of("a", "b")),
                arguments("multi-line list with comments",
                        "v = [\n  \"a\", # first\n  // second\n  \"b\" /* last */\n]", List.of("a", "b")),
                arguments("mixed and nested list", "v = [1, [true], {a = null}]",
                        List.of(Num.integer("1"), List.of(true), map("a", Null.NULL))),
                arguments("empty object", "v = {}", map()),
                arguments("object with commas and quoted keys", "v = { a = 1, \"b-c\" = \"x\" }",
                        map("a", Num.integer("1"), "b-c", "x")),
                arguments("object with newlines", "v = {\n  a = 1\n\n  b = [2]\n}",
                        map("a", Num.integer("1"), "b", List.of(Num.integer("2")))),
                arguments("object with colons and trailing comma", "v = { a: 1, b: 2, }",
                        map("a", Num.integer("1"), "b", Num.integer("2"))),
                arguments("nested object", "v = { a = { b = \"c\" } }", map("a", map("b", "c"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void parsesValues(String name, String source, Object expected) {
        assertThat(plain(valueOf(source))).isEqualTo(expected);
    }

    @Test
    void integersAndDecimalsStayDistinct() {
        HclNumber integer = (HclNumber) valueOf("v = 3");
        HclNumber decimal = (HclNumber) valueOf("v = 3.0");
        assertThat(integer.integral()).isTrue();
        assertThat(integer.longValueExact()).isEqualTo(3L);
        assertThat(decimal.integral()).isFalse();
        assertThat(decimal.value()).isEqualTo(new BigDecimal("3.0"));
        assertThatThrownBy(decimal::longValueExact).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(((HclNumber) valueOf("v = 9223372036854775808"))::longValueExact)
                .isInstanceOf(ArithmeticException.class);
        assertThat(((HclNumber) valueOf("v = 9223372036854775807")).longValueExact()).isEqualTo(Long.MAX_VALUE);
    }

    // ---------------------------------------------------------------- structure and positions

    @Test
    void nestedBlocksWithLabelsAndPositions() {
        HclBody body = HclParser.parse(String.join("\n",
                "job \"x\" {",
                "  group \"g\" {",
                "    task \"t\" {",
                "      driver = \"exec\"",
                "    }",
                "  }",
                "}"));
        assertThat(body.attributes()).isEmpty();
        HclBlock job = body.blocks().get(0);
        assertThat(job.type()).isEqualTo("job");
        assertThat(job.position()).isEqualTo(new HclPosition(1, 1));
        assertThat(job.labels()).containsExactly(new HclString("x", new HclPosition(1, 5)));
        HclBlock group = job.body().blocks("group").get(0);
        assertThat(group.position()).isEqualTo(new HclPosition(2, 3));
        assertThat(group.labels()).containsExactly(new HclString("g", new HclPosition(2, 9)));
        HclBlock task = group.body().blocks("task").get(0);
        assertThat(task.position()).isEqualTo(new HclPosition(3, 5));
        assertThat(task.label(0)).isEqualTo("t");
        HclAttribute driver = task.body().attribute("driver").orElseThrow();
        assertThat(driver.position()).isEqualTo(new HclPosition(4, 7));
        assertThat(driver.value()).isEqualTo(new HclString("exec", new HclPosition(4, 16)));
    }

    @Test
    void everyValueNodeHasItsPosition() {
        HclBody body = HclParser.parse(String.join("\n",
                "a = [\"x\", -1, true, null]",
                "b = { k = 1.5, \"q\" = <<EOF",
                "text",
                "EOF",
                "}"));
        HclList a = (HclList) body.attribute("a").orElseThrow().value();
        assertThat(a.position()).isEqualTo(new HclPosition(1, 5));
        assertThat(a.elements()).extracting(HclValue::position).containsExactly(
                new HclPosition(1, 6), new HclPosition(1, 11), new HclPosition(1, 15), new HclPosition(1, 21));
        HclObject b = (HclObject) body.attribute("b").orElseThrow().value();
        assertThat(b.position()).isEqualTo(new HclPosition(2, 5));
        assertThat(b.entries()).extracting(HclAttribute::position)
                .containsExactly(new HclPosition(2, 7), new HclPosition(2, 16));
        assertThat(b.entry("k").orElseThrow().value().position()).isEqualTo(new HclPosition(2, 11));
        assertThat(b.entry("q").orElseThrow().value()).isEqualTo(new HclString("text\n", new HclPosition(2, 22)));
    }

    @Test
    void columnsCountCodePointsAndTabsAsOne() {
        HclList list = (HclList) valueOf("x = [\"😀\", 1]");
        assertThat(list.elements().get(1).position()).isEqualTo(new HclPosition(1, 11));
        HclBody tabbed = HclParser.parse("\tx = 1");
        assertThat(tabbed.attributes().get(0).position()).isEqualTo(new HclPosition(1, 2));
    }

    @Test
    void crlfLineEndings() {
        HclBody body = HclParser.parse("a = 1\r\nb {\r\n  c = \"d\"\r\n}\r\n");
        assertThat(body.attribute("b")).isEmpty();
        assertThat(body.blocks().get(0).position()).isEqualTo(new HclPosition(2, 1));
        assertThat(body.blocks().get(0).body().attribute("c").orElseThrow().position())
                .isEqualTo(new HclPosition(3, 3));
    }

    @Test
    void nothingIsMergedOrMoved() {
        HclBody body = HclParser.parse("a \"1\" {}\nb = 1\na \"1\" {\n  x = 2\n}\nc {}\na \"2\" {}\n");
        assertThat(body.blocks()).extracting(HclBlock::type).containsExactly("a", "a", "c", "a");
        assertThat(body.blocks("a")).extracting(b -> b.position().line()).containsExactly(1, 3, 7);
        assertThat(body.blocks("a").get(0).body().isEmpty()).isTrue();
        assertThat(body.blocks("a").get(1).body().attribute("x")).isPresent();
        assertThat(body.attribute("b").orElseThrow().position()).isEqualTo(new HclPosition(2, 1));
    }

    @Test
    void blocksWithZeroAndSeveralLabels() {
        HclBody body = HclParser.parse("agent {}\nresource \"a\" \"b\" {}\n");
        assertThat(body.blocks().get(0).labels()).isEmpty();
        assertThat(body.blocks().get(1).labels()).extracting(HclString::value).containsExactly("a", "b");
        assertThat(body.blocks().get(1).labels().get(1).position()).isEqualTo(new HclPosition(2, 14));
    }

    @Test
    void singleLineBlocksAndClosingBraceAfterTheLastAttribute() {
        // Shapes Nomad's own ACL tests use (HCL 1 accepts them).
        HclBody body = HclParser.parse("namespace \"x\" { policy = \"read\" }\n"
                + "operator { policy = \"deny\"\n    capabilities = [\"license-read\"] }");
        assertThat(body.blocks()).hasSize(2);
        assertThat(body.blocks().get(1).body().attributes()).extracting(HclAttribute::name)
                .containsExactly("policy", "capabilities");
    }

    @Test
    void commentsEverywhere() {
        HclBody body = HclParser.parse(String.join("\n",
                "# leading",
                "// another",
                "/* block",
                "   comment */ a = 1 # trailing",
                "b { // after brace",
                "  /* inside */ c = 2 /* after */",
                "}  # after block"));
        assertThat(plain(body.attribute("a").orElseThrow().value())).isEqualTo(Num.integer("1"));
        assertThat(body.attribute("a").orElseThrow().position()).isEqualTo(new HclPosition(4, 15));
        assertThat(body.blocks("b").get(0).body().attribute("c")).isPresent();
    }

    @Test
    void emptyAndCommentOnlySourcesAreEmptyBodies() {
        assertThat(HclParser.parse("")).isEqualTo(HclBody.EMPTY);
        assertThat(HclParser.parse("  \n\t\n")).isEqualTo(HclBody.EMPTY);
        assertThat(HclParser.parse("# nothing\n/* at */ // all")).isEqualTo(HclBody.EMPTY);
    }

    // ---------------------------------------------------------------- errors

    static Stream<Arguments> errors() {
        return Stream.of(
                // unterminated things
                arguments("unterminated string", "a = \"abc", "1:5: unterminated string"),
                arguments("string across lines", "a = \"abc\nb = 1", "1:5: unterminated string"),
                arguments("unterminated interpolation", "a = \"${foo\"", "1:6: unterminated template sequence: missing }"),
                arguments("unterminated heredoc", "a = <<EOF\nabc\n", "1:5: unterminated heredoc: missing closing EOF"),
                arguments("heredoc marker never alone on a line", "a = <<EOF\nEOF x\n",
                        "1:5: unterminated heredoc: missing closing EOF"),
                arguments("heredoc without newline", "a = <<EOF x", "1:10: invalid heredoc: a newline must follow <<EOF"),
                arguments("heredoc without marker", "a = <<\nx\n",
                        "1:5: invalid heredoc: << must be followed by a marker such as EOF"),
                arguments("unterminated block", "namespace \"a\" {\n  policy = \"read\"\n",
                        "1:15: unterminated block \"namespace\": missing }"),
                arguments("unterminated outer block", "job \"j\" {\n  group \"g\" {\n  }\n",
                        "1:9: unterminated block \"job\": missing }"),
                arguments("unterminated list", "a = [1, 2\n", "1:5: unterminated list: missing ]"),
                arguments("unterminated list after comma", "a = [1,\n", "1:5: unterminated list: missing ]"),
                arguments("unterminated object", "a = { b = 1\n", "1:5: unterminated object: missing }"),
                arguments("unterminated comment", "a = 1 /* abc", "1:7: unterminated comment: missing */"),
                // missing '=' or value
                arguments("name alone", "policy\n", "1:7: missing '=' after \"policy\""),
                arguments("name alone at end", "policy", "1:7: missing '=' after \"policy\""),
                arguments("unquoted value without '='", "policy read\n", "1:8: missing '=' after \"policy\""),
                arguments("list without '='", "caps [\"a\"]\n", "1:6: missing '=' after \"caps\""),
                arguments("quoted value without '='", "policy \"read\"\n",
                        "1:14: missing '=' or '{' after \"policy\" \"read\""),
                arguments("missing value at newline", "policy =\nx = 1", "1:9: missing value for \"policy\""),
                arguments("missing value at end", "policy = ", "1:10: missing value for \"policy\""),
                arguments("missing value before brace", "a {\n  b = }\n", "2:7: missing value for \"b\""),
                arguments("missing value in list", "a = [1, , 2]", "1:9: missing value for \"a\""),
                arguments("missing '=' in object", "a = { b }", "1:9: missing '=' after \"b\""),
                // unexpected tokens
                arguments("unquoted string value", "policy = read",
                        "1:10: unexpected identifier read: expected a value (strings must be quoted)"),
                arguments("item starting with '='", "= 1", "1:1: unexpected '=': expected an attribute name or a block type"),
                arguments("item starting with a string", "\"x\" = 1",
                        "1:1: unexpected string \"x\": expected an attribute name or a block type"),
                arguments("colon in a body", "policy: \"read\"",
                        "1:7: unexpected ':' after \"policy\": expected '=' or a block"),
                arguments("unknown character", "a = @", "1:5: unexpected character '@'"),
                arguments("NUL character", "a = 1\u0000", "1:6: unexpected character U+0000"),
                arguments("byte order mark", "\uFEFFa = 1", "1:1: unexpected character U+FEFF"),
                arguments("control character in string", "a = \"x\u0001\"",
                        "1:7: invalid control character U+0001 in string"),
                arguments("stray closing brace", "}", "1:1: unexpected '}': no block to close"),
                arguments("stray closing brace after attribute", "a = 1\n}", "2:1: unexpected '}': no block to close"),
                arguments("list without comma", "a = [1 2]", "1:8: unexpected number 2 in list: expected ',' or ']'"),
                arguments("object without separator", "a = { b = 1 c = 2 }",
                        "1:13: unexpected identifier c in object: expected ',', a newline or '}'"),
                arguments("object key not a name", "a = { 1 = 2 }", "1:7: unexpected number 1 in object: expected a key"),
                arguments("invalid number", "a = 1.2.3", "1:5: invalid number 1.2.…"),
                arguments("number glued to letters", "a = 12abc", "1:5: invalid number 12a…"),
                arguments("minus without number", "a = -x", "1:5: unexpected character '-'"),
                // invalid escapes
                arguments("unknown escape", "a = \"\\q\"", "1:6: invalid escape sequence \\q"),
                arguments("octal escape (Nomad's TestParse_BadInput)", "namespace \"\\500\" {}",
                        "1:12: invalid escape sequence \\5"),
                arguments("short unicode escape", "a = \"\\u12\"", "1:6: invalid escape sequence \\u12: needs 4 hex digits"),
                arguments("short long unicode escape", "a = \"\\U0001F6\"",
                        "1:6: invalid escape sequence \\U0001F6: needs 8 hex digits"),
                arguments("surrogate escape", "a = \"\\uD800\"",
                        "1:6: invalid escape sequence \\uD800: not a Unicode scalar value"),
                arguments("escape beyond Unicode", "a = \"\\U00110000\"",
                        "1:6: invalid escape sequence \\U00110000: not a Unicode scalar value"),
                arguments("escape beyond int (fuzzing found a NumberFormatException)", "a = \"\\UFFFFFFFF\"",
                        "1:6: invalid escape sequence \\UFFFFFFFF: not a Unicode scalar value"),
                arguments("exponent beyond BigDecimal (fuzzing found a NumberFormatException)", "a = 1e99999999999",
                        "1:5: number is out of range"),
                arguments("backslash at end of line", "a = \"x\\\n\"", "1:7: invalid escape sequence: \\ at end of line"),
                // duplicates
                arguments("duplicate attribute", "a = 1\na = 2", "2:1: duplicate attribute \"a\" (first defined at 1:1)"),
                arguments("duplicate attribute in a block", "x {\n  a = 1\n  a = \"b\"\n}",
                        "3:3: duplicate attribute \"a\" (first defined at 2:3)"),
                arguments("duplicate object key", "a = { k = 1, k = 2 }",
                        "1:14: duplicate key \"k\" (first defined at 1:7)"),
                arguments("duplicate object key quoted", "a = { k = 1, \"k\" = 2 }",
                        "1:14: duplicate key \"k\" (first defined at 1:7)"),
                // labels
                arguments("unquoted label", "namespace default {}",
                        "1:11: block label must be a quoted string, found identifier default"),
                arguments("unquoted second label", "a \"b\" c {}", "1:7: block label must be a quoted string, found identifier c"),
                arguments("number label", "a 1 {}", "1:3: block label must be a quoted string, found number 1"),
                arguments("heredoc label", "a \"b\" <<EOF\nx\nEOF\n{}",
                        "1:7: block label must be a quoted string, found heredoc"),
                // trailing garbage
                arguments("second value", "policy = \"read\" \"write\"",
                        "1:17: unexpected string \"write\" after attribute \"policy\": expected a newline"),
                arguments("attribute after value on the same line", "a = 1 b = 2",
                        "1:7: unexpected identifier b after attribute \"a\": expected a newline"),
                arguments("something after a block", "a {} b = 1",
                        "1:6: unexpected identifier b after block \"a\": expected a newline"),
                arguments("second '='", "a = 1 = 2", "1:7: unexpected '=' after attribute \"a\": expected a newline"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejects(String name, String source, String message) {
        assertThatThrownBy(() -> HclParser.parse(source))
                .isInstanceOf(HclParseException.class)
                .hasMessage(message);
    }

    @Test
    void exceptionCarriesPositionAndDetail() {
        HclParseException e = assertThrows(HclParseException.class, () -> HclParser.parse("a = 1\n  b = \"x"));
        assertThat(e.position()).isEqualTo(new HclPosition(2, 7));
        assertThat(e.detail()).isEqualTo("unterminated string");
    }

    @Test
    void deepNestingIsRefusedNotOverflowed() {
        assertThatThrownBy(() -> HclParser.parse("a = " + "[".repeat(10_000)))
                .isInstanceOf(HclParseException.class)
                .hasMessageContaining("nested deeper than 64 levels");
        assertThatThrownBy(() -> HclParser.parse("a {\n".repeat(10_000)))
                .isInstanceOf(HclParseException.class)
                .hasMessageContaining("nested deeper than 64 levels");
        String fine = "a = " + "[".repeat(60) + "]".repeat(60);
        assertThat(HclParser.parse(fine).attributes()).hasSize(1);
    }
}
