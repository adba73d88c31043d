package io.taskapi.bexpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Evaluation semantics, case by case against go-bexpr: the fixtures of its {@code evaluate_test.go} written as JSON,
 * and every operator over every kind of value. Expected results and messages are bexpr v0.1.16's over the same JSON
 * (the fixture files under {@code cases/}, written by the generator in {@code src/test/go/fixtures}),
 * except in {@link #nullIsANilMapOrSlice} and {@link #numbersInListsCompareAsNumbers}, which pin where this
 * implementation follows Nomad's typed records rather than bexpr over raw JSON.
 */
class FilterSemanticsTest {

    // go-bexpr's evaluate_test.go, "Flat Struct"
    private static final BexprCases FLAT = BexprCases.load("flat-struct.json");
    // go-bexpr's evaluate_test.go, "Nested Structs and Maps"
    private static final BexprCases NESTED = BexprCases.load("nested-structs-and-maps.json");
    // one of each kind of value, every operator on each
    private static final BexprCases KINDS = BexprCases.load("every-operator-on-every-kind.json");

    static Stream<Arguments> flatStruct() {
        return FLAT.arguments();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("flatStruct")
    void bexprsFlatStruct(String expression, Object expected) throws Exception {
        assertOutcome(Filter.compile(expression), FLAT.document(), expected);
    }

    static Stream<Arguments> nestedStructsAndMaps() {
        return NESTED.arguments();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nestedStructsAndMaps")
    void bexprsNestedStructsAndMaps(String expression, Object expected) throws Exception {
        assertOutcome(Filter.compile(expression), NESTED.document(), expected);
    }

    static Stream<Arguments> everyOperatorOnEveryKind() {
        return KINDS.arguments();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOperatorOnEveryKind")
    void everyOperatorOnEveryKind(String expression, Object expected) throws Exception {
        assertOutcome(Filter.compile(expression), KINDS.document(), expected);
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
        assertThat(Filter.compile("\"0x2\" in LI").matches(KINDS.document())).isTrue();
        assertThat(Filter.compile("\"+1\" in LI").matches(KINDS.document())).isTrue();
        assertThat(Filter.compile("\"1.50\" in LF").matches(KINDS.document())).isTrue();
        assertThatThrownBy(() -> Filter.compile("99999999999999999999 in LI").matches(KINDS.document()))
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
}
