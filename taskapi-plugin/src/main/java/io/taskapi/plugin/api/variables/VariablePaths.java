package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.http.ApiException;
import java.util.regex.Pattern;

/**
 * Nomad's rules for variable paths and namespaces ({@code structs/variables.go:validatePath}), with Nomad's messages:
 * 1 to 128 of {@code a-z A-Z 0-9 - _ ~ /}, and under the reserved top-level {@code nomad/} only {@code nomad/jobs}
 * and below, or exactly one level below {@code nomad/job-templates}.
 */
final class VariablePaths {
    /** Where the secrets API keeps its entries, as variables. */
    static final String SECRET_PREFIX = "secret/";

    // No '.' or '@' (they mean something in template blocks) and a bounded length (state lookups are O(length)).
    private static final Pattern VALID_PATH = Pattern.compile("^[a-zA-Z0-9\\-_~/]{1,128}$");
    // Nomad's namespace names; '*' (every namespace) is handled by the callers that accept it.
    private static final Pattern VALID_NAMESPACE = Pattern.compile("^[a-zA-Z0-9\\-]{1,128}$");

    private VariablePaths() {}

    /**
     * @param path a variable path
     * @throws ApiException 400 with Nomad's message when it is not a path a variable may have
     */
    static void checkPath(String path) throws ApiException {
        requireNonNull(path, "path is null");
        if (path.isEmpty()) {
            throw new ApiException(400, "variable requires path");
        }
        if (!VALID_PATH.matcher(path).matches()) {
            throw new ApiException(400, "invalid path \"" + printable(path) + "\"");
        }
        String[] parts = path.split("/", -1);
        if (!parts[0].equals("nomad")) {
            return;
        }
        if (parts.length == 1) {
            throw new ApiException(400, "\"nomad\" is a reserved top-level directory path, but you may write"
                    + " variables to \"nomad/jobs\", \"nomad/job-templates\", or below");
        }
        if (parts[1].equals("jobs") || (parts[1].equals("job-templates") && parts.length == 3)) {
            return;
        }
        if (parts[1].equals("job-templates")) {
            throw new ApiException(400, "\"nomad/job-templates\" is a reserved directory path, but you may write"
                    + " variables at the level below it, for example, \"nomad/job-templates/template-name\"");
        }
        throw new ApiException(400, "only paths at \"nomad/jobs\" or \"nomad/job-templates\" and below are valid"
                + " paths under the top-level \"nomad\" directory");
    }

    /**
     * @param namespace a namespace from a request
     * @param wildcardAllowed whether {@code *} (every namespace) may be asked for: lists only
     * @throws ApiException 400 when it is not a namespace name, or is {@code *} where that means nothing
     */
    static void checkNamespace(String namespace, boolean wildcardAllowed) throws ApiException {
        requireNonNull(namespace, "namespace is null");
        if (namespace.equals("*")) {
            if (!wildcardAllowed) {
                throw new ApiException(400, "can not target wildcard (\"*\")namespace");
            }
            return;
        }
        if (!VALID_NAMESPACE.matcher(namespace).matches()) {
            throw new ApiException(400, "invalid namespace \"" + printable(namespace) + "\"");
        }
    }

    /** Paths and namespaces are echoed in errors; control characters are not, so a log line stays one line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        text.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c) || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.length() > 200 ? out + "…" : out.toString();
    }
}
