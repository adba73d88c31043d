package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.bexpr.Filter;
import io.taskapi.bexpr.FilterDeadline;
import io.taskapi.bexpr.FilterEvaluationException;
import io.taskapi.bexpr.FilterException;
import io.taskapi.bexpr.FilterTimeoutException;
import io.taskapi.plugin.http.ApiException;
import java.time.Duration;
import java.util.Optional;

/**
 * One list request's {@code ?filter=}: compiled once, then applied to the records one by one under a single deadline
 * for them all, which starts with the first record. An absent or empty expression lets everything through, as in
 * Nomad; one of only whitespace does not parse, as in Nomad. Failures are 400s: Nomad's {@code failed to read filter
 * expression: …} and {@code failed to read result page: …}, and this server's
 * {@code filter evaluation exceeded 1s; simplify the filter}. Not thread-safe: one per request.
 */
public final class ListFilter {
    private final Optional<Filter> filter;
    private final Duration timeout;
    private FilterDeadline deadline;

    private ListFilter(Optional<Filter> filter, Duration timeout) {
        this.filter = filter;
        this.timeout = timeout;
    }

    /**
     * @param expression the request's {@code ?filter=}, if any
     * @param timeout how long evaluating it may take over all the records
     * @return the filter
     * @throws ApiException 400 if the expression does not compile
     */
    public static ListFilter compile(Optional<String> expression, Duration timeout) throws ApiException {
        requireNonNull(expression, "expression is null");
        requireNonNull(timeout, "timeout is null");
        // Only an absent or empty filter is none: Nomad parses one of only whitespace, and refuses it.
        if (expression.isEmpty() || expression.get().isEmpty()) {
            return new ListFilter(Optional.empty(), timeout);
        }
        try {
            return new ListFilter(Optional.of(Filter.compile(expression.get())), timeout);
        } catch (FilterException e) {
            throw new ApiException(400, "failed to read filter expression: " + e.getMessage());
        }
    }

    /**
     * @param record the record as the filter sees it
     * @return whether it passes (always, without an expression)
     * @throws ApiException 400 if the filter cannot be evaluated against it, or the time is up
     */
    public boolean matches(JsonNode record) throws ApiException {
        if (filter.isEmpty()) {
            return true;
        }
        if (deadline == null) {
            deadline = FilterDeadline.after(timeout);
        }
        try {
            return filter.get().matches(record, deadline);
        } catch (FilterTimeoutException e) {
            throw new ApiException(400, e.getMessage()); // ours, not bexpr's: no Nomad prefix to keep
        } catch (FilterEvaluationException e) {
            throw new ApiException(400, "failed to read result page: " + e.getMessage());
        }
    }
}
