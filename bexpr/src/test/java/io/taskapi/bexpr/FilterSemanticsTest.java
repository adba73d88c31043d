package io.taskapi.bexpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluation semantics, case by case against go-bexpr: the fixtures of its {@code evaluate_test.go} written as JSON,
 * and every operator over every kind of value. Expected results and messages are bexpr v0.1.16's over the same JSON,
 * except in {@link #nullIsANilMapOrSlice} and {@link #numbersInListsCompareAsNumbers}, which pin where this
 * implementation follows Nomad's typed records rather than bexpr over raw JSON.
 */
class FilterSemanticsTest {

    // evaluate_test.go "Flat Struct"
    private static final JsonNode FLAT = Json.parse("""
            {"Int": -1, "Int8": -2, "Int16": -3, "Int32": -4, "Int64": -5, "Uint": 6, "Uint8": 7, "Uint16": 8,
             "Uint32": 9, "Uint64": 10, "Float32": 1.1, "Float64": 1.2, "Bool": true, "String": "exported",
             "ColonString": "expo:rted", "slash/value": "hello"}
            """);

    // evaluate_test.go "Nested Structs and Maps"
    private static final JsonNode NESTED = Json.parse("""
            {"Nested": {
               "Map": {"foo": "bar", "bar": "baz", "abc": "123", "colon": "co:lon", "co:lon": "co:lon",
                       "email": "foo@example.com"},
               "MapOfStructs": {"one": {"Foo": 42, "Baz": "exported"}, "two": {"Foo": 77, "Baz": "consul"}},
               "SliceOfInts": [1, 3, 5, 7, 9],
               "SliceOfStructs": [{"X": 1, "Y": 2}, {"X": 3, "Y": 5}],
               "SliceOfInfs": ["foobar", 1, true],
               "SliceOfPointersToStructs": [{"X": 1, "Y": 2}, null]},
             "TopInt": 5}
            """);

    // one of each kind of value
    private static final JsonNode KINDS = Json.parse("""
            {"S": "abc", "E": "", "I": 5, "F": 1.5, "B": true, "M": {"k": "v"}, "EM": {}, "L": ["a", "b"], "EL": [],
             "LI": [1, 2], "LF": [1.5], "LB": [false], "LM": [{"k": 1}], "LL": [[1]], "LX": ["x", 7]}
            """);

    static Stream<Arguments> flatStruct() {
        return Stream.of(
                is("Int == -1", true),
                is("Int == -99", false),
                is("Int != -1", false),
                is("Int != -99", true),
                is("Int8 == -2", true),
                is("Int16 == -3", true),
                is("Int32 != -4", false),
                is("Int64 == -5", true),
                is("Uint == 6", true),
                is("Uint8 == 99", false),
                is("Uint16 != 8", false),
                is("Uint32 == 9", true),
                is("Uint64 == 10", true),
                is("Uint64 != 99", true),
                is("Float32 == 1.1", true),
                is("Float32 == 9.9", false),
                is("Float64 == 1.2", true),
                is("Float64 != 1.2", false),
                is("Bool == true", true),
                is("Bool == false", false),
                is("Bool != true", false),
                is("Bool != false", true),
                is("String == `exported`", true),
                is("String == `not-it`", false),
                is("String != `exported`", false),
                is("String != `not-it`", true),
                is("port in String", true),
                is("part in String", false),
                is("port not in String", false),
                is("part not in String", true),
                is("ColonString == `expo:rted`", true),
                is("ColonString != `expor:ted`", true),
                is("slash/value == `hello`", true),
                is("String matches \t`^ex.*`", true),
                is("String not matches `^anchored.*`", true),
                is("String matches \t`^anchored.*`", false),
                is("String not matches `^ex.*`", false));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("flatStruct")
    void bexprsFlatStruct(String expression, boolean expected) throws Exception {
        assertThat(Filter.compile(expression).matches(FLAT)).isEqualTo(expected);
    }

    static Stream<Arguments> nestedStructsAndMaps() {
        return Stream.of(
                is("Nested.Map.foo == bar", true),
                is("Nested.Map.foo contains ba", true),
                is("Nested.Map.foo == baz", false),
                is("Nested.Map is not empty", true),
                is("Nested.Map contains foo and Nested.Map contains bar", true),
                is("Nested.Map.colon == \"co:lon\"", true),
                is("\"/Nested/Map/co:lon\" == \"co:lon\"", true),
                is("Nested.Map contains nope", false),
                is("Nested.Map contains bar", true),
                is("Nested.Map.bar == `bazel`", false),
                is("TopInt != 0", true),
                is("Nested.Map contains nope or (Nested.Map contains bar and Nested.Map.bar == `bazel`) or TopInt != 0",
                        true),
                is("Nested.MapOfStructs.one.Foo == 42", true),
                is("Nested.MapOfStructs.one.Baz == `exported`", true),
                is("Nested.MapOfStructs.two.Foo == 77", true),
                is("Nested.MapOfStructs.two.Baz == `consul`", true),
                is("7 in Nested.SliceOfInts", true),
                fails("\"/Nested/SliceOfInts\" == \"7\"",
                        "unable to find suitable primitive comparison function for matching"),
                is("Nested.MapOfStructs is empty or (Nested.SliceOfInts contains 7 and 9 in Nested.SliceOfInts)", true),
                is("Nested.SliceOfStructs.0.X == 1", true),
                is("Nested.SliceOfStructs.0.Y == 4", false),
                is("\"foobar\" in \"/Nested/SliceOfInfs\"", true),
                is("\"1\" in \"/Nested/SliceOfInfs\"", true),
                is("\"2\" in \"/Nested/SliceOfInfs\"", false),
                is("\"true\" in \"/Nested/SliceOfInfs\"", true),
                is("\"/Nested/Map/email\" matches \"(foz|foo)@example.com\"", true),
                is("Nested.Map.notfound == 4", false),
                is("Nested.Map.notfound != 4", true),
                is("4 in Nested.Map.notfound", false),
                is("4 not in Nested.Map.notfound", true),
                is("Nested.Map.notfound is empty", true),
                is("Nested.Map.notfound is not empty", false),
                is("Nested.Map.notfound matches \".*\"", false),
                is("Nested.Map.notfound not matches \".*\"", true),
                is("Nested.Map.notfound is nil", true),
                is("Nested.Map.notfound is not nil", false),
                is("all Nested.SliceOfInts as i { i != 42 }", true),
                is("all Nested.SliceOfInts as i { i == 1 }", false),
                is("all Nested.Map as v { v == \"bar\" }", false),
                is("all Nested.Map as v { v != \"hello\" }", true),
                fails("all Nested.Map as k, k { TopInt == 5 }",
                        "\"k\" cannot be used as a placeholder for both the index and the value"),
                is("all Nested.Map as k, _ { k != \"foo\" }", false),
                is("all Nested.Map as k, _ { k != \"hello\" }", true),
                is("all Nested.Map as k, v { k != \"foo\" or v != \"baz\" }", true),
                fails("all TopInt as k, v { k != \"foo\" or v != \"baz\" }", "TopInt is not a list or a map"),
                is("any Nested.SliceOfInts as i { i == 1 }", true),
                is("any Nested.SliceOfInts as i { i == 42 }", false),
                is("any Nested.SliceOfStructs as i { \"/i/X\" == 1 }", true),
                is("any Nested.Map as k { k != \"bar\" }", true),
                is("any Nested.Map as k { k == \"bar\" }", true),
                is("any Nested.Map as k { k == \"hello\" }", false),
                is("any Nested.Map as k, v { k == \"foo\" and v == \"bar\" }", true),
                fails("any Nested.Map as k { k.Color == \"red\" }", "/k references a string so /k/Color is invalid"),
                fails("any Nested.SliceOfInts as i, _ { i.Color == \"red\" }",
                        "/i references a int so /i/Color is invalid"),
                is("any Nested.SliceOfInts as i, _ { i == 4 }", true),
                fails("any Nested.SliceOfInts as i, _ { i matches x }",
                        "value of type int is not convertible to []byte"),
                is("Nested.SliceOfPointersToStructs.0 is nil", false),
                is("Nested.SliceOfPointersToStructs.0 is not nil", true),
                is("any Nested.MapOfStructs as name, s { s.Foo == 77 and name == two }", true),
                is("any Nested.MapOfStructs as _, s { any Nested.SliceOfStructs as i { s.Foo == 42 and i.X == 3 } }",
                        true),
                is("any Nested.SliceOfStructs as s { any Nested.SliceOfStructs as s { s.X == 3 } }", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nestedStructsAndMaps")
    void bexprsNestedStructsAndMaps(String expression, Object expected) throws Exception {
        assertOutcome(Filter.compile(expression), NESTED, expected);
    }

    static Stream<Arguments> everyOperatorOnEveryKind() {
        return Stream.of(
                is("S == abc", true),
                is("S != abc", false),
                is("abc in S", true),
                is("abc not in S", false),
                is("S contains abc", true),
                is("S not contains abc", false),
                is("S == b", false),
                is("S != b", true),
                is("b in S", true),
                is("b not in S", false),
                is("S contains b", true),
                is("S not contains b", false),
                is("S == x", false),
                is("S != x", true),
                is("x in S", false),
                is("x not in S", true),
                is("S contains x", false),
                is("S not contains x", true),
                is("S matches \"^a\"", true),
                is("S not matches \"^a\"", false),
                is("S is empty", false),
                is("S is not empty", true),
                fails("S is nil", "cannot perform is-nil operations on type string for selector: \"S\""),
                fails("S is not nil", "cannot perform is-nil operations on type string for selector: \"S\""),
                is("E == \"\"", true),
                is("E != \"\"", false),
                is("\"\" in E", true),
                is("\"\" not in E", false),
                is("E contains \"\"", true),
                is("E not contains \"\"", false),
                is("E == x", false),
                is("E != x", true),
                is("x in E", false),
                is("x not in E", true),
                is("E contains x", false),
                is("E not contains x", true),
                is("E matches \"^a\"", false),
                is("E not matches \"^a\"", true),
                is("E is empty", true),
                is("E is not empty", false),
                fails("E is nil", "cannot perform is-nil operations on type string for selector: \"E\""),
                fails("E is not nil", "cannot perform is-nil operations on type string for selector: \"E\""),
                is("I == 5", true),
                is("I != 5", false),
                fails("5 in I", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                fails("5 not in I", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                fails("I contains 5", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                fails("I not contains 5", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                is("I == 6", false),
                is("I != 6", true),
                fails("6 in I", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                fails("6 not in I", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                fails("I contains 6", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                fails("I not contains 6", "cannot perform in/contains operations on type int64 for selector: \"I\""),
                fails("I == x",
                        "error getting match value in expression: strconv.ParseInt: parsing \"x\": invalid syntax"),
                fails("I != x",
                        "error getting match value in expression: strconv.ParseInt: parsing \"x\": invalid syntax"),
                fails("x in I",
                        "error getting match value in expression: strconv.ParseInt: parsing \"x\": invalid syntax"),
                fails("x not in I",
                        "error getting match value in expression: strconv.ParseInt: parsing \"x\": invalid syntax"),
                fails("I contains x",
                        "error getting match value in expression: strconv.ParseInt: parsing \"x\": invalid syntax"),
                fails("I not contains x",
                        "error getting match value in expression: strconv.ParseInt: parsing \"x\": invalid syntax"),
                fails("I matches \"^a\"", "value of type int64 is not convertible to []byte"),
                fails("I not matches \"^a\"", "value of type int64 is not convertible to []byte"),
                fails("I is empty", "cannot perform is-empty operations on type int64 for selector: \"I\""),
                fails("I is not empty", "cannot perform is-empty operations on type int64 for selector: \"I\""),
                fails("I is nil", "cannot perform is-nil operations on type int64 for selector: \"I\""),
                fails("I is not nil", "cannot perform is-nil operations on type int64 for selector: \"I\""),
                is("F == 1.5", true),
                is("F != 1.5", false),
                fails("1.5 in F", "cannot perform in/contains operations on type float64 for selector: \"F\""),
                fails("1.5 not in F", "cannot perform in/contains operations on type float64 for selector: \"F\""),
                fails("F contains 1.5", "cannot perform in/contains operations on type float64 for selector: \"F\""),
                fails("F not contains 1.5",
                        "cannot perform in/contains operations on type float64 for selector: \"F\""),
                is("F == 2", false),
                is("F != 2", true),
                fails("2 in F", "cannot perform in/contains operations on type float64 for selector: \"F\""),
                fails("2 not in F", "cannot perform in/contains operations on type float64 for selector: \"F\""),
                fails("F contains 2", "cannot perform in/contains operations on type float64 for selector: \"F\""),
                fails("F not contains 2", "cannot perform in/contains operations on type float64 for selector: \"F\""),
                fails("F == x",
                        "error getting match value in expression: strconv.ParseFloat: parsing \"x\": invalid syntax"),
                fails("F != x",
                        "error getting match value in expression: strconv.ParseFloat: parsing \"x\": invalid syntax"),
                fails("x in F",
                        "error getting match value in expression: strconv.ParseFloat: parsing \"x\": invalid syntax"),
                fails("x not in F",
                        "error getting match value in expression: strconv.ParseFloat: parsing \"x\": invalid syntax"),
                fails("F contains x",
                        "error getting match value in expression: strconv.ParseFloat: parsing \"x\": invalid syntax"),
                fails("F not contains x",
                        "error getting match value in expression: strconv.ParseFloat: parsing \"x\": invalid syntax"),
                fails("F matches \"^a\"", "value of type float64 is not convertible to []byte"),
                fails("F not matches \"^a\"", "value of type float64 is not convertible to []byte"),
                fails("F is empty", "cannot perform is-empty operations on type float64 for selector: \"F\""),
                fails("F is not empty", "cannot perform is-empty operations on type float64 for selector: \"F\""),
                fails("F is nil", "cannot perform is-nil operations on type float64 for selector: \"F\""),
                fails("F is not nil", "cannot perform is-nil operations on type float64 for selector: \"F\""),
                is("B == true", true),
                is("B != true", false),
                fails("true in B", "cannot perform in/contains operations on type bool for selector: \"B\""),
                fails("true not in B", "cannot perform in/contains operations on type bool for selector: \"B\""),
                fails("B contains true", "cannot perform in/contains operations on type bool for selector: \"B\""),
                fails("B not contains true", "cannot perform in/contains operations on type bool for selector: \"B\""),
                is("B == false", false),
                is("B != false", true),
                fails("false in B", "cannot perform in/contains operations on type bool for selector: \"B\""),
                fails("false not in B", "cannot perform in/contains operations on type bool for selector: \"B\""),
                fails("B contains false", "cannot perform in/contains operations on type bool for selector: \"B\""),
                fails("B not contains false", "cannot perform in/contains operations on type bool for selector: \"B\""),
                fails("B == x",
                        "error getting match value in expression: strconv.ParseBool: parsing \"x\": invalid syntax"),
                fails("B != x",
                        "error getting match value in expression: strconv.ParseBool: parsing \"x\": invalid syntax"),
                fails("x in B",
                        "error getting match value in expression: strconv.ParseBool: parsing \"x\": invalid syntax"),
                fails("x not in B",
                        "error getting match value in expression: strconv.ParseBool: parsing \"x\": invalid syntax"),
                fails("B contains x",
                        "error getting match value in expression: strconv.ParseBool: parsing \"x\": invalid syntax"),
                fails("B not contains x",
                        "error getting match value in expression: strconv.ParseBool: parsing \"x\": invalid syntax"),
                fails("B matches \"^a\"", "value of type bool is not convertible to []byte"),
                fails("B not matches \"^a\"", "value of type bool is not convertible to []byte"),
                fails("B is empty", "cannot perform is-empty operations on type bool for selector: \"B\""),
                fails("B is not empty", "cannot perform is-empty operations on type bool for selector: \"B\""),
                fails("B is nil", "cannot perform is-nil operations on type bool for selector: \"B\""),
                fails("B is not nil", "cannot perform is-nil operations on type bool for selector: \"B\""),
                fails("M == k", "unable to find suitable primitive comparison function for matching"),
                fails("M != k", "unable to find suitable primitive comparison function for matching"),
                is("k in M", true),
                is("k not in M", false),
                is("M contains k", true),
                is("M not contains k", false),
                fails("M == x", "unable to find suitable primitive comparison function for matching"),
                fails("M != x", "unable to find suitable primitive comparison function for matching"),
                is("x in M", false),
                is("x not in M", true),
                is("M contains x", false),
                is("M not contains x", true),
                fails("M matches \"^a\"", "value of type map[string]interface {} is not convertible to []byte"),
                fails("M not matches \"^a\"", "value of type map[string]interface {} is not convertible to []byte"),
                is("M is empty", false),
                is("M is not empty", true),
                is("M is nil", false),
                is("M is not nil", true),
                fails("EM == k", "unable to find suitable primitive comparison function for matching"),
                fails("EM != k", "unable to find suitable primitive comparison function for matching"),
                is("k in EM", false),
                is("k not in EM", true),
                is("EM contains k", false),
                is("EM not contains k", true),
                fails("EM matches \"^a\"", "value of type map[string]interface {} is not convertible to []byte"),
                fails("EM not matches \"^a\"", "value of type map[string]interface {} is not convertible to []byte"),
                is("EM is empty", true),
                is("EM is not empty", false),
                is("EM is nil", false),
                is("EM is not nil", true),
                fails("L == a", "unable to find suitable primitive comparison function for matching"),
                fails("L != a", "unable to find suitable primitive comparison function for matching"),
                is("a in L", true),
                is("a not in L", false),
                is("L contains a", true),
                is("L not contains a", false),
                fails("L == x", "unable to find suitable primitive comparison function for matching"),
                fails("L != x", "unable to find suitable primitive comparison function for matching"),
                is("x in L", false),
                is("x not in L", true),
                is("L contains x", false),
                is("L not contains x", true),
                fails("L matches \"^a\"", "value of type []interface {} is not convertible to []byte"),
                fails("L not matches \"^a\"", "value of type []interface {} is not convertible to []byte"),
                is("L is empty", false),
                is("L is not empty", true),
                is("L is nil", false),
                is("L is not nil", true),
                fails("EL == a", "unable to find suitable primitive comparison function for matching"),
                fails("EL != a", "unable to find suitable primitive comparison function for matching"),
                is("a in EL", false),
                is("a not in EL", true),
                is("EL contains a", false),
                is("EL not contains a", true),
                fails("EL matches \"^a\"", "value of type []interface {} is not convertible to []byte"),
                fails("EL not matches \"^a\"", "value of type []interface {} is not convertible to []byte"),
                is("EL is empty", true),
                is("EL is not empty", false),
                is("EL is nil", false),
                is("EL is not nil", true),
                is("M.missing == x", false),
                is("M.missing != x", true),
                is("x in M.missing", false),
                is("x not in M.missing", true),
                is("M.missing contains x", false),
                is("M.missing not contains x", true),
                is("M.missing matches \"^a\"", false),
                is("M.missing not matches \"^a\"", true),
                is("M.missing is empty", true),
                is("M.missing is not empty", false),
                is("M.missing is nil", true),
                is("M.missing is not nil", false),
                is("1 in LI", true),
                is("2 in LI", true),
                is("3 in LI", false),
                is("x in LI", false),
                is("1.0 in LI", false),
                is("1.5 in LF", true),
                is("x in LF", false),
                is("3 in LF", false),
                is("false in LB", true),
                is("0 in LB", true),
                is("F in LB", true),
                is("x in LB", false),
                fails("x in LM",
                        "unable to find suitable primitive comparison function for \"in\" comparison in interface "
                        + "slice: map"),
                fails("x in LL",
                        "unable to find suitable primitive comparison function for \"in\" comparison in interface "
                        + "slice: slice"),
                is("7 in LX", true),
                is("x in LX", true),
                is("y in LX", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOperatorOnEveryKind")
    void everyOperatorOnEveryKind(String expression, Object expected) throws Exception {
        assertOutcome(Filter.compile(expression), KINDS, expected);
    }

    @Test
    void inAndContainsReadAStringAsASubstringAndAListAsElements() throws Exception {
        // evaluate_test.go TestInOnOperator: "dbadmin" contains "admin", ["dbadmin"] does not
        for (String expression : new String[] {"Role contains admin", "admin in Role"}) {
            Filter filter = Filter.compile(expression);
            assertThat(filter.matches(Json.parse("{\"Role\": [\"admin\", \"foo\"]}"))).isTrue();
            assertThat(filter.matches(Json.parse("{\"Role\": \"admin\"}"))).isTrue();
            assertThat(filter.matches(Json.parse("{\"Role\": \"dbadmin\"}"))).isTrue();
            assertThat(filter.matches(Json.parse("{\"Role\": [\"dbadmin\", \"foo\"]}"))).isFalse();
        }
    }

    @Test
    void stopsAtTheFirstOperandThatDecides() throws Exception {
        JsonNode record = Json.parse("{\"Status\": \"ready\"}");
        // the right-hand side would fail (no such top-level field), but is never evaluated
        assertThat(Filter.compile("Status == ready or Missing == 1").matches(record)).isTrue();
        assertThat(Filter.compile("Status == down and Missing == 1").matches(record)).isFalse();
        assertThatThrownBy(() -> Filter.compile("Missing == 1 or Status == ready").matches(record))
                .hasMessage("error finding value in datum: /Missing at part 0: couldn't find key \"Missing\"");
        assertThatThrownBy(() -> Filter.compile("not Missing == 1").matches(record))
                .isInstanceOf(FilterEvaluationException.class);
    }

    @Test
    void nullIsANilMapOrSlice() throws Exception {
        // Nomad evaluates its typed structs, where JSON's null is a nil map, slice or pointer: empty, nil, no keys.
        // bexpr over raw JSON would fail on most of these instead (it has no type for null).
        JsonNode record = Json.parse("""
                {"Meta": null, "Tags": ["a", null], "Nested": [{"X": 1}, null]}
                """);
        assertThat(Filter.compile("Meta is empty").matches(record)).isTrue();
        assertThat(Filter.compile("Meta is not empty").matches(record)).isFalse();
        assertThat(Filter.compile("Meta is nil").matches(record)).isTrue();
        assertThat(Filter.compile("Meta is not nil").matches(record)).isFalse();
        assertThat(Filter.compile("x in Meta").matches(record)).isFalse();
        assertThat(Filter.compile("x not in Meta").matches(record)).isTrue();
        assertThat(Filter.compile("Meta.x == 1").matches(record)).isFalse();
        assertThat(Filter.compile("Meta.x != 1").matches(record)).isTrue();
        assertThat(Filter.compile("any Meta as k { k == x }").matches(record)).isFalse();
        assertThat(Filter.compile("all Meta as k { k == x }").matches(record)).isTrue();
        // bexpr's own test of a nil map (map[string]map[string]bool{"abc": nil}) agrees
        assertThat(Filter.compile("Nested.1 is nil").matches(record)).isTrue();
        assertThat(Filter.compile("Nested.0 is nil").matches(record)).isFalse();
        // a null element equals nothing (bexpr panics on it)
        assertThat(Filter.compile("a in Tags").matches(record)).isTrue();
        assertThat(Filter.compile("x in Tags").matches(record)).isFalse();
        // comparing or matching a nil map is an error in bexpr too
        assertThatThrownBy(() -> Filter.compile("Meta == x").matches(record))
                .hasMessage("unable to find suitable primitive comparison function for matching");
        assertThatThrownBy(() -> Filter.compile("Meta matches x").matches(record))
                .hasMessage("value of type <nil> is not convertible to []byte");
        assertThatThrownBy(() -> Filter.compile("Meta.x.y == 1").matches(record))
                .hasMessage("error finding value in datum: /Meta/x/y at part 1: couldn't find key \"x\"");
    }

    @Test
    void numbersInListsCompareAsNumbers() throws Exception {
        // as in Nomad's typed []int; bexpr over json.Number would compare the texts ("0x2" != "2")
        assertThat(Filter.compile("\"0x2\" in LI").matches(KINDS)).isTrue();
        assertThat(Filter.compile("\"+1\" in LI").matches(KINDS)).isTrue();
        assertThat(Filter.compile("\"1.50\" in LF").matches(KINDS)).isTrue();
        assertThatThrownBy(() -> Filter.compile("99999999999999999999 in LI").matches(KINDS))
                .hasMessage("error getting interface slice match value in expression");
    }

    private static void assertOutcome(Filter filter, JsonNode record, Object expected) throws Exception {
        if (expected instanceof Boolean) {
            assertThat(filter.matches(record)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> filter.matches(record))
                    .isInstanceOf(FilterEvaluationException.class)
                    .hasMessage((String) expected);
        }
    }

    private static Arguments is(String expression, boolean expected) {
        return arguments(expression, expected);
    }

    private static Arguments fails(String expression, String message) {
        return arguments(expression, message);
    }
}
