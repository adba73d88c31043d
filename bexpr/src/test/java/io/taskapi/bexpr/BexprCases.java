package io.taskapi.bexpr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One fixture file of go-bexpr cases ({@code src/test/resources/io/taskapi/bexpr/cases/}): a JSON document and
 * expressions with the outcome go-bexpr gives over it, a result or an error message. The outcomes are written by the
 * generator in {@code src/test/go/fixtures} (its README says how to run it against a newer go-bexpr).
 *
 * <p>A file without a document holds expressions that are only compiled: each has bexpr's error message, or
 * {@code "compiles": true}.
 *
 * @param document what the expressions are evaluated against; missing in a file of expressions only compiled
 * @param cases each an expression and a {@code Boolean} result ({@code true} for "compiles") or a {@code String}
 *     error message
 */
record BexprCases(JsonNode document, List<Arguments> cases) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static BexprCases load(String name) {
        try (InputStream in = BexprCases.class.getResourceAsStream("cases/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture file cases/" + name);
            }
            JsonNode root = MAPPER.readTree(in);
            List<Arguments> cases = new ArrayList<>();
            for (JsonNode c : root.required("cases")) {
                String expression = c.required("expression").asText();
                Object outcome = c.has("error") ? c.get("error").asText()
                        : c.has("result") ? (Object) c.get("result").booleanValue() : c.required("compiles").booleanValue();
                cases.add(Arguments.of(expression, outcome));
            }
            return new BexprCases(root.path("document"), List.copyOf(cases));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Stream<Arguments> arguments() {
        return cases.stream();
    }
}
