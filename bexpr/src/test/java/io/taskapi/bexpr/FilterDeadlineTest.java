package io.taskapi.bexpr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The evaluation deadline: what stops a filter that would run too long, on a clock the test moves. */
class FilterDeadlineTest {

    // 40 keys, so four nested any's are 2.5 million evaluations of the innermost comparison
    private static final JsonNode WIDE = Json.parse("{\"M\": {" + IntStream.range(0, 40)
            .mapToObj(i -> "\"k" + i + "\": \"v" + i + "\"").collect(Collectors.joining(", ")) + "}}");
    private static final String EXPONENTIAL =
            "any M as a { any M as b { any M as c { any M as d { a == b and b == c and c == d and d == x } } } }";

    private final AtomicLong now = new AtomicLong();

    @Test
    void stopsAnExponentialCollectionFilterOnceTheTimeIsUp() throws Exception {
        FilterDeadline deadline = new FilterDeadline(Duration.ofMillis(5), () -> now.addAndGet(1_000_000));

        assertThatThrownBy(() -> Filter.compile(EXPONENTIAL).matches(WIDE, deadline))
                .isInstanceOf(FilterTimeoutException.class)
                .isInstanceOf(FilterEvaluationException.class)
                .hasMessage("filter evaluation exceeded 5ms; simplify the filter");
    }

    @Test
    void stopsItOnTheSystemClockToo() throws Exception {
        assertThatThrownBy(() -> Filter.compile(EXPONENTIAL).matches(WIDE, FilterDeadline.after(Duration.ofMillis(1))))
                .isInstanceOf(FilterTimeoutException.class)
                .hasMessage("filter evaluation exceeded 1ms; simplify the filter");
    }

    @Test
    void letsAFilterFinishWhileThereIsTime() throws Exception {
        FilterDeadline deadline = new FilterDeadline(Duration.ofSeconds(1), now::get);
        Filter filter = Filter.compile("any M as a { any M as b { a == k39 and b == k39 } }");

        assertThat(filter.matches(WIDE, deadline)).isTrue();
    }

    @Test
    void isSharedByTheRecordsOfOneRequest() throws Exception {
        FilterDeadline deadline = new FilterDeadline(Duration.ofSeconds(1), now::get);
        Filter filter = Filter.compile("N == 1");
        JsonNode record = Json.parse("{\"N\": 1}");
        assertThat(filter.matches(record, deadline)).isTrue();

        now.set(Duration.ofSeconds(1).toNanos());

        // the clock is read every few hundred steps, counted across records, not per record
        assertThatThrownBy(() -> {
            for (int i = 0; i < FilterDeadline.STEPS_PER_CHECK; i++) {
                filter.matches(record, deadline);
            }
        }).isInstanceOf(FilterTimeoutException.class).hasMessage("filter evaluation exceeded 1s; simplify the filter");
    }

    @Test
    void stopsALongRegularExpressionMatchFromInside() throws Exception {
        FilterDeadline deadline = new FilterDeadline(Duration.ofSeconds(1), now::get);
        JsonNode record = Json.parse("{\"Name\": \"" + "a".repeat(FilterDeadline.WORK_PER_CHECK + 1) + "\"}");
        Filter filter = Filter.compile("Name matches `a+b`");
        assertThat(filter.matches(record, deadline)).isFalse();

        now.set(Duration.ofSeconds(2).toNanos());

        assertThatThrownBy(() -> filter.matches(record, deadline))
                .isInstanceOf(FilterTimeoutException.class)
                .hasMessage("filter evaluation exceeded 1s; simplify the filter");
    }

    @Test
    void readsTheClockMoreOftenForALargerProgram() throws Exception {
        // some thousand instructions: each character may cost them all, so the clock is read every thousand or so
        Filter filter = Filter.compile("Name matches `[a-h]{1000}z`");
        JsonNode record = Json.parse("{\"Name\": \"" + "abcdefgh".repeat(500) + "\"}");
        FilterDeadline deadline = new FilterDeadline(Duration.ofSeconds(1), now::get);
        assertThat(filter.matches(record, deadline)).isFalse();

        now.set(Duration.ofSeconds(2).toNanos());

        assertThatThrownBy(() -> filter.matches(record, deadline)).isInstanceOf(FilterTimeoutException.class);
    }

    @Test
    void stopsALongSliceSearch() throws Exception {
        FilterDeadline deadline = new FilterDeadline(Duration.ofSeconds(1), now::get);
        now.set(Duration.ofSeconds(2).toNanos());
        JsonNode record = Json.parse("{\"L\": [" + IntStream.range(0, 2 * FilterDeadline.STEPS_PER_CHECK)
                .mapToObj(Integer::toString).collect(Collectors.joining(",")) + "]}");

        assertThatThrownBy(() -> Filter.compile("x in L").matches(record, deadline))
                .isInstanceOf(FilterTimeoutException.class);
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThatThrownBy(() -> FilterDeadline.after(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("filter timeout must be positive, not PT0S");
        assertThatThrownBy(() -> FilterDeadline.after(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesTheTimeoutTheWayGoWritesDurations() {
        assertThat(FilterTimeoutException.goDuration(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(FilterTimeoutException.goDuration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(FilterTimeoutException.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(FilterTimeoutException.goDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(FilterTimeoutException.goDuration(Duration.ofMinutes(2))).isEqualTo("2m0s");
        assertThat(FilterTimeoutException.goDuration(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }
}
