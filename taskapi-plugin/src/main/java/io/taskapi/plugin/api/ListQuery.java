package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A list request's query, read the same way by every list route, as Nomad's {@code parsePagination} and
 * {@code parsePrefix} read it: {@code ?prefix=}, {@code ?filter=} (go-bexpr, see {@link ListFilter}),
 * {@code ?per_page=} and {@code ?next_token=}. An absent or empty parameter is no constraint ({@code ?per_page=} is
 * no paging, as in Nomad); a {@code per_page} that is not a non-negative 32-bit integer is a 400, where Nomad refuses
 * what is not a number and lets a negative one through. Not thread-safe (the filter keeps its deadline): one per
 * request.
 */
public final class ListQuery {
    /** The header that names where the next page starts; absent on the last page. */
    public static final String NEXT_TOKEN_HEADER = "X-Nomad-NextToken";
    /** The answer to a {@code per_page} that is not a non-negative integer. */
    static final String BAD_PER_PAGE = "Expect a non-negative number for `per_page` query string parameter";

    private final String prefix;
    private final ListFilter filter;
    private final int perPage;
    private final String nextToken;

    private ListQuery(String prefix, ListFilter filter, int perPage, String nextToken) {
        this.prefix = prefix;
        this.filter = filter;
        this.perPage = perPage;
        this.nextToken = nextToken;
    }

    /**
     * @param request a list request
     * @param filterTimeout how long its filter may take over all the records
     * @return its query
     * @throws ApiException 400 for a filter that does not compile or a {@code per_page} that is not a number
     */
    public static ListQuery of(ApiRequest request, Duration filterTimeout) throws ApiException {
        requireNonNull(request, "request is null");
        return new ListQuery(request.query("prefix").orElse(""),
                ListFilter.compile(request.query("filter"), filterTimeout),
                perPage(request.query("per_page")),
                request.query("next_token").orElse(""));
    }

    /** @return {@code ?prefix=}, empty for none */
    public String prefix() {
        return prefix;
    }

    /** @return {@code ?filter=}, compiled */
    public ListFilter filter() {
        return filter;
    }

    /** @return {@code ?per_page=}, 0 for no paging */
    public int perPage() {
        return perPage;
    }

    /** @return {@code ?next_token=}, empty for the first page */
    public String nextToken() {
        return nextToken;
    }

    /**
     * @param size how many records the page holds so far
     * @return whether it is full, so that the next matching record starts the next page
     */
    public boolean isFull(int size) {
        return perPage > 0 && size >= perPage;
    }

    private static int perPage(Optional<String> value) throws ApiException {
        if (value.isEmpty() || value.get().isEmpty()) {
            return 0;
        }
        try {
            int perPage = Integer.parseInt(value.get());
            if (perPage >= 0) {
                return perPage;
            }
        } catch (NumberFormatException e) {
            // the same answer as a negative number, below
        }
        throw new ApiException(400, BAD_PER_PAGE);
    }
}
