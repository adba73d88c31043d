package io.taskapi.bexpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The limits that keep a hostile filter from exhausting the server, and the API's contract. */
class FilterLimitsTest {

    @Test
    void rejectsAnExpressionLongerThanTheLimit() throws Exception {
        String padded = "Status == ready" + " ".repeat(Filter.MAX_LENGTH - "Status == ready".length());
        assertThat(Filter.compile(padded).matches(Json.parse("{\"Status\": \"ready\"}"))).isTrue();

        assertThatThrownBy(() -> Filter.compile(padded + " "))
                .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.column()).isEqualTo(4097))
                .hasMessage("1:4097 (4096): expression is 4097 characters long; at most 4096 are allowed");
    }

    @Test
    void evaluatesTheLongestChainsWithoutRecursingPerTerm() throws Exception {
        // about 800 terms: and/or chains are loops, in the parser and the evaluator alike
        String ors = IntStream.range(0, 10_000).mapToObj(i -> "N == " + i).collect(Collectors.joining(" or "));
        String chain = ors.substring(0, ors.lastIndexOf(" or ", Filter.MAX_LENGTH));
        String nots = "not ".repeat(1000) + "N == 1";

        assertThat(Filter.compile(chain).matches(Json.parse("{\"N\": 7}"))).isTrue();
        assertThat(Filter.compile(chain).matches(Json.parse("{\"N\": -1}"))).isFalse();
        assertThat(Filter.compile(nots).matches(Json.parse("{\"N\": 1}"))).isTrue();
        assertThat(Filter.compile("not " + nots).matches(Json.parse("{\"N\": 1}"))).isFalse();
    }

    @Test
    void limitsNestingDepth() throws Exception {
        int limit = Parser.MAX_NESTING;
        String deepest = "(".repeat(limit) + "N == 1" + ")".repeat(limit);
        assertThat(Filter.compile(deepest).matches(Json.parse("{\"N\": 1}"))).isTrue();

        String tooDeep = "(".repeat(limit + 1) + "N == 1" + ")".repeat(limit + 1);
        assertThatThrownBy(() -> Filter.compile(tooDeep))
                .isInstanceOf(FilterException.class)
                .hasMessage("1:65 (64): expression nests deeper than 64 levels");
        // unbalanced, as an attacker would send it: still stopped at the limit, not by the stack
        assertThatThrownBy(() -> Filter.compile("(".repeat(4000)))
                .hasMessage("1:65 (64): expression nests deeper than 64 levels");
        // collection braces count too
        String collections = "any L as x { ".repeat(limit + 1) + "x == 1" + " }".repeat(limit + 1);
        assertThatThrownBy(() -> Filter.compile(collections))
                .hasMessageEndingWith("expression nests deeper than 64 levels");
    }

    @Test
    void compilesRegularExpressionsOnceAndSharesThemAcrossThreads() throws Exception {
        Filter filter = Filter.compile("Name matches `^web-\\d+$` and (Meta.rack == r1 or \"b\" in Tags)");
        List<JsonNode> records = IntStream.range(0, 200)
                .mapToObj(i -> Json.parse("{\"Name\": \"" + (i % 3 == 0 ? "db-" : "web-") + i
                        + "\", \"Meta\": {\"rack\": \"r" + (i % 2) + "\"}, \"Tags\": [\"" + (i % 5 == 0 ? "b" : "a")
                        + "\"]}"))
                .collect(Collectors.toList());
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            expected.add(i % 3 != 0 && (i % 2 == 1 || i % 5 == 0));
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<List<Boolean>>> tasks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                tasks.add(() -> {
                    List<Boolean> results = new ArrayList<>();
                    for (JsonNode record : records) {
                        results.add(filter.matches(record));
                    }
                    return results;
                });
            }
            for (Future<List<Boolean>> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void answersPathologicalRegularExpressionsLikeGoInsteadOfBacktracking() throws Exception {
        // each would run for seconds to forever on a backtracking engine; Go's regexp (and RE2/J) is linear
        String noX = "a".repeat(30);
        assertThat(Filter.compile("Name matches \"((((((((.*)*)*)*)*)*)*)*)*x\"")
                .matches(Json.parse("{\"Name\": \"" + noX + "\"}"))).isFalse();
        assertThat(Filter.compile("Name matches `(a|a){1,100}b`")
                .matches(Json.parse("{\"Name\": \"" + "a".repeat(40) + "\"}"))).isFalse();
        assertThat(Filter.compile("Name matches `(a|a){1,100}b`").matches(Json.parse("{\"Name\": \"aaaab\"}")))
                .isTrue();
        assertThat(Filter.compile("Name matches `^(a|b)*$`")
                .matches(Json.parse("{\"Name\": \"" + "ab".repeat(1000) + "\"}"))).isTrue();
        assertThat(Filter.compile("Name matches `^(a|b)*$`")
                .matches(Json.parse("{\"Name\": \"" + "ab".repeat(1000) + "c\"}"))).isFalse();
    }

    @Test
    void matchesValuesOfMoreThanAMillionCharacters() throws Exception {
        String huge = "x".repeat(1_500_000);
        JsonNode record = Json.parse("{\"Name\": \"" + huge + "needle\"}");
        // RE2/J reads some 10 million characters a second: ample time, so a busy machine cannot fail this test
        FilterDeadline ample = FilterDeadline.after(Duration.ofMinutes(1));

        assertThat(Filter.compile("Name matches `needle$`").matches(record, ample)).isTrue();
        assertThat(Filter.compile("Name matches `^x+needle$`").matches(record, ample)).isTrue();
        assertThat(Filter.compile("Name not matches `^x+$`").matches(record, ample)).isTrue();
        assertThat(Filter.compile("Name contains needle").matches(record, ample)).isTrue();
    }

    @Test
    void limitsWhatTheRegularExpressionsOfOneFilterCompileTo() throws Exception {
        // each fits on its own; together they would compile to 120,000 instructions
        String sixty = "\\pL{1000}".repeat(60);
        assertThat(Filter.compile("Name matches `" + sixty + "`").matches(Json.parse("{\"Name\": \"a\"}")))
                .isFalse();

        assertThatThrownBy(() -> Filter.compile("Name matches `" + sixty + "` or Name matches `" + sixty + "`"))
                .isInstanceOf(FilterException.class)
                .hasMessageStartingWith("1:" + (sixty.length() + 33) + " (" + (sixty.length() + 32)
                        + "): failed to compile regular expression")
                .hasMessageEndingWith("error parsing regexp: expression too large: `" + sixty + "`");
    }

    @Test
    void keepsTheExpressionAndRefusesNulls() throws Exception {
        Filter filter = Filter.compile("Status == ready");

        assertThat(filter.expression()).isEqualTo("Status == ready");
        assertThat(filter).hasToString("Filter[Status == ready]");
        assertThatThrownBy(() -> Filter.compile(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> filter.matches(null)).isInstanceOf(NullPointerException.class);
    }
}
