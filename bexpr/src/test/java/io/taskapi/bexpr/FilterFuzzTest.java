package io.taskapi.bexpr;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@code ?filter=} expressions: {@link Filter#compile} on arbitrary text, then {@link Filter#matches} against
 * the Nomad node record of {@link FilterNomadNodeTest}. Seeds and past findings are under
 * {@code src/test/resources/io/taskapi/bexpr/FilterFuzzTestInputs/compileAndMatch/}; see docs/security.md.
 */
class FilterFuzzTest {
    private static final JsonNode NODE = FilterNomadNodeTest.NODE.document();

    /**
     * Guards against: an exception other than {@link FilterException} from compiling or
     * {@link FilterEvaluationException} from evaluating (either would be a 500 instead of Nomad's 400), a stack
     * overflow on deep nesting, a regular expression that runs away (the per-input timeout), an error position
     * outside the expression, and a {@code not} that does not negate (bexpr's {@code not (e)} is the opposite of
     * {@code e}, and fails exactly when {@code e} fails).
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void compileAndMatch(byte[] input) {
        String expression = new String(input, UTF_8);
        Filter filter;
        try {
            filter = Filter.compile(expression);
        } catch (FilterException e) {
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isNotNegative();
            assertThat(e.offset()).isBetween(0, expression.getBytes(UTF_8).length);
            assertThat(e.getMessage()).startsWith(e.line() + ":");
            return;
        }
        assertThat(filter.expression()).isEqualTo(expression);
        Boolean result = evaluate(filter);

        Filter negated;
        try {
            negated = Filter.compile("not (" + expression + ")");
        } catch (FilterException e) {
            // one more level or six more characters may cross a limit; nothing else may change
            assertThat(e.getMessage()).containsAnyOf("nests deeper than", "characters long");
            return;
        }
        Boolean negatedResult = evaluate(negated);
        if (result == null) {
            assertThat(negatedResult).as("not of an expression that fails").isNull();
        } else {
            assertThat(negatedResult).as("not of an expression that gives " + result).isEqualTo(!result);
        }
    }

    /** The result, or null where bexpr fails to evaluate. */
    private static Boolean evaluate(Filter filter) {
        try {
            return filter.matches(NODE);
        } catch (FilterEvaluationException e) {
            assertThat(e.getMessage()).isNotEmpty();
            return null;
        }
    }
}
