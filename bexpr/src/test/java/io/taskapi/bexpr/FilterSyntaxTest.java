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
 * What parses, to which tree, and how the rest fails. The trees and every error message (text, line, column, byte
 * offset) are go-bexpr's: most cases are its own {@code grammar/grammar_test.go}, the rest were checked against
 * bexpr v0.1.16. The syntax errors are the fixture file {@code cases/syntax-errors.json}, written by the generator in
 * {@code src/test/go/fixtures}. A tree is written {@code (operator selector value)}, a selector as its parts ({@code "a"."b"}, with
 * {@code ptr:} for a JSON pointer), a value as the raw text bexpr compares.
 */
class FilterSyntaxTest {

    static Stream<Arguments> trees() {
        return Stream.of(
                // grammar_test.go
                tree("foo == 3", "(== \"foo\" \"3\")"),
                tree("\"/foo\" == 3", "(== ptr:\"foo\" \"3\")"),
                tree("\"/hy-phen/under_score/pi|pe/do.t/ti~lde/co:lon\" == 3",
                        "(== ptr:\"hy-phen\".\"under_score\".\"pi|pe\".\"do.t\".\"ti~lde\".\"co:lon\" \"3\")"),
                tree("foo/bar == 3", "(== \"foo/bar\" \"3\")"),
                tree("foo != xyz", "(!= \"foo\" \"xyz\")"),
                tree("list is empty", "(is-empty \"list\")"),
                tree("list is not empty", "(is-not-empty \"list\")"),
                tree("foo in bar", "(in \"bar\" \"foo\")"),
                tree("foo not in bar", "(not-in \"bar\" \"foo\")"),
                tree("bar contains foo", "(in \"bar\" \"foo\")"),
                tree("bar not contains foo", "(not-in \"bar\" \"foo\")"),
                tree("foo matches bar", "(matches \"foo\" \"bar\")"),
                tree("foo not matches bar", "(not-matches \"foo\" \"bar\")"),
                tree("foo is nil", "(is-nil \"foo\")"),
                tree("foo is not nil", "(is-not-nil \"foo\")"),
                tree("not prod in tags", "(not (in \"tags\" \"prod\"))"),
                tree("port != 80 and port != 8080", "(and (!= \"port\" \"80\") (!= \"port\" \"8080\"))"),
                tree("port == 80 or port == 443", "(or (== \"port\" \"80\") (== \"port\" \"443\"))"),
                tree("foo == \"bar\"", "(== \"foo\" \"bar\")"),
                tree("\"foo\" in bar", "(in \"bar\" \"foo\")"),
                tree("`foo` not in bar", "(not-in \"bar\" \"foo\")"),
                tree("foo == `bar`", "(== \"foo\" \"bar\")"),
                tree("\t\r\n  foo \t\r\n == \t\r\n x \t\r\n", "(== \"foo\" \"x\")"),
                tree("\t\r\n  foo \t\r\n not \t\r\n in \t\r\n x \t\r\n", "(not-in \"x\" \"foo\")"),
                tree("\t\r\n  foo \t\r\n is \t\r\n not \t\r\n empty \t\r\n", "(is-not-empty \"foo\")"),
                tree("\t\r\n ( \t\r\n foo \t\r\n == \t\r\n x \t\r\n ) \t\r\n", "(== \"foo\" \"x\")"),
                tree("`environment` in foo.bar[\"meta\"].tags[\t`ENV` ]",
                        "(in \"foo\".\"bar\".\"meta\".\"tags\".\"ENV\" \"environment\")"),
                tree("environment in \"/hy-phen/under_score/pi|pe/do.t/ti~lde\"",
                        "(in ptr:\"hy-phen\".\"under_score\".\"pi|pe\".\"do.t\".\"ti~lde\" \"environment\")"),
                tree("environment in foo[\"bar\"][\"meta\"][\"tags\"][\"ENV\"]",
                        "(in \"foo\".\"bar\".\"meta\".\"tags\".\"ENV\" \"environment\")"),
                tree("environment in foo[\"abc-def ghi åß∂ƒ\"]",
                        "(in \"foo\".\"abc-def ghi åß∂ƒ\" \"environment\")"),
                tree("foo == 0.2", "(== \"foo\" \"0.2\")"),
                tree("foo == 11.11", "(== \"foo\" \"11.11\")"),
                tree("foo == -0.2", "(== \"foo\" \"-0.2\")"),
                tree("not not foo == 3", "(== \"foo\" \"3\")"),
                tree("all group.tasks as t { t.name == \"hello\" }",
                        "(all \"group\".\"tasks\" as:t (== \"t\".\"name\" \"hello\"))"),
                tree("all group.tasks as t { all t.test as i { i == \"test\" }}",
                        "(all \"group\".\"tasks\" as:t (all \"t\".\"test\" as:i (== \"i\" \"test\")))"),
                tree("all group.tasks as k, v { k == v }", "(all \"group\".\"tasks\" as:k,v (== \"k\" \"v\"))"),
                tree("any group.tasks as t { t.name == \"vmware\" }",
                        "(any \"group\".\"tasks\" as:t (== \"t\".\"name\" \"vmware\"))"),
                tree("(((foo == 3) and (not ((bar in baz) and (not (one != two))))) or (((next is empty) and "
                                + "(not (foo is not empty))) and (bar not in foo)))",
                        "(or (and (== \"foo\" \"3\") (not (and (in \"baz\" \"bar\") (not (!= \"one\" \"two\"))))) "
                                + "(and (and (is-empty \"next\") (not (is-not-empty \"foo\"))) "
                                + "(not-in \"foo\" \"bar\")))"),
                // the other binding forms
                tree("any group.tasks as k, _ { k == 1 }", "(any \"group\".\"tasks\" as:k,_ (== \"k\" \"1\"))"),
                tree("any group.tasks as _, v { v == 1 }", "(any \"group\".\"tasks\" as:_,v (== \"v\" \"1\"))"),
                tree("all x as k,v{k==v}", "(all \"x\" as:k,v (== \"k\" \"v\"))"),
                // a collection can end an or-chain without parentheses, but nothing can follow it
                tree("z == 1 or all x as y { y == 1 }", "(or (== \"z\" \"1\") (all \"x\" as:y (== \"y\" \"1\")))"),
                tree("(all x as y { y == 1 }) and z == 1", "(and (all \"x\" as:y (== \"y\" \"1\")) (== \"z\" \"1\"))"),
                // no operator is reserved: a PEG falls back to reading a keyword as a selector or a value
                tree("not in foo", "(in \"foo\" \"not\")"),
                tree("in in foo", "(in \"foo\" \"in\")"),
                tree("and == or", "(== \"and\" \"or\")"),
                tree("any == 1", "(== \"any\" \"1\")"),
                tree("not not not foo == 3", "(not (== \"foo\" \"3\"))"),
                tree("foo==3", "(== \"foo\" \"3\")"),
                tree("foo is  not  empty", "(is-not-empty \"foo\")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void parsesToBexprsTree(String expression, String tree) throws FilterException {
        assertThat(Filter.compile(expression).ast().describe()).isEqualTo(tree);
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                // not binds tighter than and, and tighter than or
                tree("x in foo and not str == something or list is empty",
                        "(or (and (in \"foo\" \"x\") (not (== \"str\" \"something\"))) (is-empty \"list\"))"),
                tree("x in foo and not (str == something or list is empty)",
                        "(and (in \"foo\" \"x\") (not (or (== \"str\" \"something\") (is-empty \"list\"))))"),
                tree("a == 1 or b == 2 and c == 3", "(or (== \"a\" \"1\") (and (== \"b\" \"2\") (== \"c\" \"3\")))"),
                tree("a == 1 and b == 2 or c == 3", "(or (and (== \"a\" \"1\") (== \"b\" \"2\")) (== \"c\" \"3\"))"),
                tree("not a == 1 and b == 2", "(and (not (== \"a\" \"1\")) (== \"b\" \"2\"))"),
                tree("not (a == 1 and b == 2)", "(not (and (== \"a\" \"1\") (== \"b\" \"2\")))"),
                tree("(a == 1 or b == 2) and c == 3", "(and (or (== \"a\" \"1\") (== \"b\" \"2\")) (== \"c\" \"3\"))"),
                tree("a == 1 or b == 2 or c == 3 or d == 4",
                        "(or (== \"a\" \"1\") (== \"b\" \"2\") (== \"c\" \"3\") (== \"d\" \"4\"))"),
                tree("a == 1 and b == 2 and c == 3", "(and (== \"a\" \"1\") (== \"b\" \"2\") (== \"c\" \"3\"))"),
                tree("((((((((((foo == 3))))))))))", "(== \"foo\" \"3\")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void appliesNotThenAndThenOr(String expression, String tree) throws FilterException {
        assertThat(Filter.compile(expression).ast().describe()).isEqualTo(tree);
    }

    static Stream<Arguments> selectors() {
        return Stream.of(
                tree("Meta.example == x", "(== \"Meta\".\"example\" \"x\")"),
                tree("Attributes.kernel.name == x", "(== \"Attributes\".\"kernel\".\"name\" \"x\")"),
                // a dotted selector never keeps a dot inside a part: keys with dots need an index or a pointer
                tree("Attributes[\"kernel.name\"] == x", "(== \"Attributes\".\"kernel.name\" \"x\")"),
                tree("Attributes[`kernel.name`] == x", "(== \"Attributes\".\"kernel.name\" \"x\")"),
                tree("\"/Attributes/kernel.name\" == x", "(== ptr:\"Attributes\".\"kernel.name\" \"x\")"),
                tree("Meta[\"a b\"][`c\"d`] == x", "(== \"Meta\".\"a b\".\"c\\\"d\" \"x\")"),
                tree("Tags.0 == x", "(== \"Tags\".\"0\" \"x\")"),
                tree("Nested.10.X == x", "(== \"Nested\".\"10\".\"X\" \"x\")"),
                tree("a_b.c/d == x", "(== \"a_b\".\"c/d\" \"x\")"),
                // JSON pointer escapes: ~1 is "/" and ~0 is "~"
                tree("\"/a~0b/c~1d\" == x", "(== ptr:\"a~b\".\"c/d\" \"x\")"),
                tree("\"/Meta/日本\" == x", "(== ptr:\"Meta\".\"日本\" \"x\")"),
                tree("\"\" is empty", "(is-empty ptr:\"\")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void readsEverySelectorForm(String expression, String tree) throws FilterException {
        assertThat(Filter.compile(expression).ast().describe()).isEqualTo(tree);
    }

    static Stream<Arguments> values() {
        return Stream.of(
                tree("foo == bar", "(== \"foo\" \"bar\")"),
                tree("foo == true", "(== \"foo\" \"true\")"),
                tree("foo == -7", "(== \"foo\" \"-7\")"),
                tree("foo == 0", "(== \"foo\" \"0\")"),
                tree("foo == \"\"", "(== \"foo\" \"\")"),
                tree("foo == \"tab\\there\"", "(== \"foo\" \"tab\\there\")"),
                tree("foo == \"\\x41\\u00e9\\U0001F600\\101\\\\\"", "(== \"foo\" \"Aé😀A\\\\\")"),
                tree("foo == \"a\\\\b\"", "(== \"foo\" \"a\\\\b\")"),
                // raw strings keep backslashes and drop carriage returns, like Go's
                tree("foo == `raw\\n`", "(== \"foo\" \"raw\\\\n\")"),
                tree("foo == `a\r\nb`", "(== \"foo\" \"a\\nb\")"),
                tree("foo == \"Hello World!\"", "(== \"foo\" \"Hello World!\")"),
                // an unquoted value that reads as a selector is its dotted text, index parts included
                tree("foo == a.b[\"c d\"]", "(== \"foo\" \"a.b.c d\")"),
                // a quoted value that reads as a JSON pointer loses its leading "/" and its escapes (bexpr's quirk)
                tree("foo == \"/usr/bin\"", "(== \"foo\" \"usr/bin\")"),
                tree("foo == \"/a~1b\"", "(== \"foo\" \"a/b\")"),
                tree("foo == \"/a b\"", "(== \"foo\" \"/a b\")"),
                tree("foo == \"/\"", "(== \"foo\" \"/\")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void readsEveryValueForm(String expression, String tree) throws FilterException {
        assertThat(Filter.compile(expression).ast().describe()).isEqualTo(tree);
    }

    // most are go-bexpr's grammar/grammar_test.go
    private static final BexprCases ERRORS = BexprCases.load("syntax-errors.json");

    static Stream<Arguments> errors() {
        return ERRORS.arguments();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errors")
    void rejectsWithBexprsMessage(String expression, String message) {
        assertThatThrownBy(() -> Filter.compile(expression))
                .isInstanceOf(FilterException.class)
                .hasMessage(message);
    }

    @Test
    void exposesThePositionOfTheFirstError() {
        assertThatThrownBy(() -> Filter.compile("Meta[\"日本\"] == 1 and x ~ 2"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(23);
                    assertThat(e.offset()).isEqualTo(26);
                });
        assertThatThrownBy(() -> Filter.compile("Meta[\"os.name"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(14);
                    assertThat(e.offset()).isEqualTo(13);
                });
        assertThatThrownBy(() -> Filter.compile("(a == 1\n or b == 2"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(11);
                    assertThat(e.offset()).isEqualTo(18);
                });
    }

    @Test
    void reportsABadRegularExpressionOnlyWhenAValueIsTestedAgainstIt() throws Exception {
        // as bexpr: the expression is compiled when first used, so a record without the key never reaches it
        Filter bad = Filter.compile("Status == ready and Name matches \"[a-\"");
        assertThat(bad.matches(Json.parse("{\"Status\": \"down\", \"Name\": \"x\"}"))).isFalse();
        // a key a map lacks is false for matches (true for not matches), without compiling
        assertThat(Filter.compile("Meta.missing matches `[a-`").matches(Json.parse("{\"Meta\": {\"a\": \"x\"}}")))
                .isFalse();
        assertThat(Filter.compile("Meta.missing not matches `[a-`")
                .matches(Json.parse("{\"Meta\": {\"a\": \"x\"}}"))).isTrue();

        assertThatThrownBy(() -> bad.matches(Json.parse("{\"Status\": \"ready\", \"Name\": \"x\"}")))
                .isInstanceOf(FilterEvaluationException.class)
                .hasMessage("failed to compile regular expression \"[a-\": "
                        + "error parsing regexp: missing closing ]: `[a-`");
        assertThatThrownBy(() -> Filter.compile("Name not matches `(?=x)`").matches(Json.parse("{\"Name\": \"x\"}")))
                .hasMessage("failed to compile regular expression \"(?=x)\": "
                        + "error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    }

    @Test
    void rejectsInputThatIsNotUnicode() {
        assertThatThrownBy(() -> Filter.compile("foo == \"\uD800\""))
                .isInstanceOf(FilterException.class)
                .hasMessage("1:9 (8): invalid encoding");
    }

    private static Arguments tree(String expression, String tree) {
        return arguments(expression, tree);
    }
}
