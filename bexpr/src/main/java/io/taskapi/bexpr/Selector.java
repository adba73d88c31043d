package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The path to a value in a record: bexpr's dotted form ({@code Meta.example}, {@code Meta["os.name"]},
 * {@code Tags.0}) or a quoted JSON pointer ({@code "/Meta/example"}). Both end up as the same list of parts, looked up
 * one by one (a part never splits further, so {@code Meta.os.name} means {@code Meta → os → name}, never the key
 * {@code "os.name"}).
 *
 * @param jsonPointer whether it was written as a JSON pointer (only changes how it prints)
 * @param path the parts, already unescaped ({@code ~1} and {@code ~0} in pointers)
 */
record Selector(boolean jsonPointer, List<String> path) {

    Selector {
        path = List.copyOf(requireNonNull(path, "path"));
    }

    /** The parts, each quoted, joined by "." ({@code ptr:} first for a pointer): unambiguous, for tests. */
    String describe() {
        return (jsonPointer ? "ptr:" : "") + path.stream().map(GoStrconv::quote).collect(Collectors.joining("."));
    }

    /** bexpr's {@code Selector.String()}: parts joined with "." (dotted) or "/" (pointer), without a leading "/". */
    @Override
    public String toString() {
        return String.join(jsonPointer ? "/" : ".", path);
    }
}
