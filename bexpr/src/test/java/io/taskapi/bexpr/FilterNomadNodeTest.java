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
 * Filters over a Nomad node record, as {@code nomad node status -filter EXPR} sends them. Every expected result and
 * message ({@code cases/nomad-node.json}) is what go-bexpr v0.1.16 gives for the same expression over the same JSON,
 * integers decoded as int64 and other numbers as float64, as in Nomad's typed node struct (the generator in
 * {@code src/test/go/fixtures} writes them).
 */
class FilterNomadNodeTest {

    static final BexprCases NODE = BexprCases.load("nomad-node.json");

    private static final JsonNode RECORD = NODE.document();

    @Test
    void matchesTheMetaExampleFromNomadsDocs() throws Exception {
        Filter filter = Filter.compile("Meta.example == \"Hello World!\"");

        assertThat(filter.matches(RECORD)).isTrue();
        assertThat(filter.matches(Json.parse("{\"Meta\": {\"example\": \"Goodbye\"}}"))).isFalse();
        assertThat(filter.matches(Json.parse("{\"Meta\": {}}"))).isFalse();
    }

    static Stream<Arguments> cases() {
        return NODE.arguments();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluatesLikeBexpr(String expression, Object expected) throws Exception {
        Filter filter = Filter.compile(expression);

        if (expected instanceof Boolean) {
            assertThat(filter.matches(RECORD)).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> filter.matches(RECORD))
                    .isInstanceOf(FilterEvaluationException.class)
                    .hasMessage((String) expected);
        }
    }
}
