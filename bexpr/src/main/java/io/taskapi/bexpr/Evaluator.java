package io.taskapi.bexpr;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Evaluates a parsed expression against a JSON record the way go-bexpr evaluates it against a Go value: the selector
 * is looked up part by part ({@code pointerstructure.Get}), the expression's raw value is coerced to the type of what
 * was found ({@code "5"} equals the number 5, {@code true} and {@code "T"} equal the boolean true), and each operator
 * accepts the types bexpr's accepts and fails on the others with bexpr's message.
 *
 * <p>JSON values stand for the Go values Nomad evaluates: strings, integers as {@code int64}, other numbers as
 * {@code float64}, booleans, objects as maps, arrays as slices. A JSON {@code null} stands for what Nomad's API writes
 * it for, a nil map, slice or pointer: it is empty, nil, contains nothing and has no keys (but it equals nothing and
 * matches nothing: comparing a nil map is an error in bexpr too).
 *
 * <p>Each evaluation runs against a {@link FilterDeadline}: every expression node and slice element is a step, and
 * regular expressions read the value through the deadline, so a filter that would run too long stops with a
 * {@link FilterTimeoutException} instead.
 */
final class Evaluator {

    private final JsonNode root;
    private final FilterDeadline deadline;

    private Evaluator(JsonNode root, FilterDeadline deadline) {
        this.root = root;
        this.deadline = deadline;
    }

    static boolean evaluate(Expr expr, JsonNode root, FilterDeadline deadline) throws FilterEvaluationException {
        requireNonNull(expr, "expr");
        requireNonNull(root, "root");
        requireNonNull(deadline, "deadline");
        return new Evaluator(root, deadline).eval(expr, null);
    }

    private boolean eval(Expr expr, Scope scope) throws FilterEvaluationException {
        deadline.step(); // any/all nest into this, so every element of every collection counts
        if (expr instanceof Expr.Or or) {
            for (Expr operand : or.operands()) {
                if (eval(operand, scope)) {
                    return true;
                }
            }
            return false;
        }
        if (expr instanceof Expr.And and) {
            for (Expr operand : and.operands()) {
                if (!eval(operand, scope)) {
                    return false;
                }
            }
            return true;
        }
        if (expr instanceof Expr.Not not) {
            return !eval(not.operand(), scope);
        }
        if (expr instanceof Expr.Match match) {
            return match(match, scope);
        }
        if (expr instanceof Expr.Collection collection) {
            return collection(collection, scope);
        }
        throw new IllegalStateException("unknown expression " + expr);
    }

    // ---- comparisons ----

    private boolean match(Expr.Match match, Scope scope) throws FilterEvaluationException {
        JsonNode value = lookup(match.selector().path(), scope);
        if (value.isMissingNode()) {
            return match.operator().whenMissing();
        }
        switch (match.operator()) {
            case EQUAL:
                return equal(match, value);
            case NOT_EQUAL:
                return !equal(match, value);
            case IN:
                return in(match, value);
            case NOT_IN:
                return !in(match, value);
            case IS_EMPTY:
                return isEmpty(match, value);
            case IS_NOT_EMPTY:
                return !isEmpty(match, value);
            case MATCHES:
                return matches(match, value);
            case NOT_MATCHES:
                return !matches(match, value);
            case IS_NIL:
                return isNil(match, value);
            case IS_NOT_NIL:
                return !isNil(match, value);
            default:
                throw new IllegalStateException("unknown operator " + match.operator());
        }
    }

    private static boolean equal(Expr.Match match, JsonNode value) throws FilterEvaluationException {
        String raw = raw(match);
        switch (Kind.of(value)) {
            case STRING:
                return raw.equals(value.asText());
            case INT64:
                return coerceInt(raw) == value.longValue();
            case FLOAT64:
                return coerceFloat(raw) == value.doubleValue();
            case BOOL:
                return coerceBool(raw) == value.booleanValue();
            default:
                throw new FilterEvaluationException(
                        "unable to find suitable primitive comparison function for matching");
        }
    }

    private boolean in(Expr.Match match, JsonNode value) throws FilterEvaluationException {
        String raw = raw(match);
        Kind kind = Kind.of(value);
        // bexpr coerces the value to the field's type first, so "abc" in <number> fails on the conversion
        switch (kind) {
            case INT64 -> coerceInt(raw);
            case FLOAT64 -> coerceFloat(raw);
            case BOOL -> coerceBool(raw);
            default -> {
                // strings, maps and slices take the raw text
            }
        }
        switch (kind) {
            case MAP:
                return value.has(raw);
            case SLICE:
                return inSlice(raw, value, deadline);
            case STRING:
                return value.asText().contains(raw);
            case NIL:
                return false;
            default:
                throw new FilterEvaluationException("cannot perform in/contains operations on type " + goKind(value)
                        + " for selector: " + GoStrconv.quote(match.selector().toString()));
        }
    }

    /** bexpr's "in" over a []interface{}: each element compared at its own type, unconvertible elements skipped. */
    private static boolean inSlice(String raw, JsonNode list, FilterDeadline deadline)
            throws FilterEvaluationException {
        for (JsonNode item : list) {
            deadline.step();
            Kind kind = Kind.of(item);
            try {
                switch (kind) {
                    case NIL:
                        continue; // bexpr panics on a nil element; it can equal nothing
                    case STRING:
                        if (raw.equals(item.asText())) {
                            return true;
                        }
                        continue;
                    case INT64:
                        if (GoStrconv.parseInt(raw) == item.longValue()) {
                            return true;
                        }
                        continue;
                    case FLOAT64:
                        if (GoStrconv.parseFloat(raw) == item.doubleValue()) {
                            return true;
                        }
                        continue;
                    case BOOL:
                        if (GoStrconv.parseBool(raw) == item.booleanValue()) {
                            return true;
                        }
                        continue;
                    default:
                        throw new FilterEvaluationException("unable to find suitable primitive comparison function"
                                + " for \"in\" comparison in interface slice: " + kind.goKind);
                }
            } catch (GoStrconv.NumError e) {
                if (e.isRange()) {
                    throw new FilterEvaluationException("error getting interface slice match value in expression");
                }
                // a value that does not parse as this element's type cannot equal it: on to the next
            }
        }
        return false;
    }

    private static boolean isEmpty(Expr.Match match, JsonNode value) throws FilterEvaluationException {
        Kind kind = Kind.of(value);
        switch (kind) {
            case STRING:
                return value.asText().isEmpty();
            case MAP:
            case SLICE:
                return value.size() == 0;
            case NIL:
                return true;
            default:
                throw new FilterEvaluationException("cannot perform is-empty operations on type " + goKind(value)
                        + " for selector: " + GoStrconv.quote(match.selector().toString()));
        }
    }

    private static boolean isNil(Expr.Match match, JsonNode value) throws FilterEvaluationException {
        Kind kind = Kind.of(value);
        switch (kind) {
            case MAP:
            case SLICE:
                return false;
            case NIL:
                return true;
            default:
                throw new FilterEvaluationException("cannot perform is-nil operations on type " + goKind(value)
                        + " for selector: " + GoStrconv.quote(match.selector().toString()));
        }
    }

    private boolean matches(Expr.Match match, JsonNode value) throws FilterEvaluationException {
        Kind kind = Kind.of(value);
        if (kind != Kind.STRING) {
            throw new FilterEvaluationException("value of type " + (value instanceof IndexNode ? "int" : kind.goType)
                    + " is not convertible to []byte");
        }
        Re2Regex regex = compiledRegex(match);
        try {
            return regex.find(deadline.watch(value.asText(), regex.programSize()));
        } catch (FilterDeadline.Expired e) {
            throw new FilterTimeoutException(deadline.timeout());
        }
    }

    /** The expression compiled with the filter; one Go does not compile fails here, when a value is tested. */
    private static Re2Regex compiledRegex(Expr.Match match) throws FilterEvaluationException {
        Expr.MatchValue value = match.value().orElseThrow(() -> new IllegalStateException("matches without value"));
        if (value.regex().isPresent()) {
            return value.regex().get();
        }
        try {
            return Re2Regex.compile(value.raw());
        } catch (Re2Regex.SyntaxException e) {
            throw new FilterEvaluationException("failed to compile regular expression " + GoStrconv.quote(value.raw())
                    + ": " + e.getMessage());
        }
    }

    private static String raw(Expr.Match match) {
        return match.value().orElseThrow(() -> new IllegalStateException(match.operator() + " has no value")).raw();
    }

    private static long coerceInt(String raw) throws FilterEvaluationException {
        try {
            return GoStrconv.parseInt(raw);
        } catch (GoStrconv.NumError e) {
            throw new FilterEvaluationException("error getting match value in expression: " + e.getMessage());
        }
    }

    private static double coerceFloat(String raw) throws FilterEvaluationException {
        try {
            return GoStrconv.parseFloat(raw);
        } catch (GoStrconv.NumError e) {
            throw new FilterEvaluationException("error getting match value in expression: " + e.getMessage());
        }
    }

    private static boolean coerceBool(String raw) throws FilterEvaluationException {
        try {
            return GoStrconv.parseBool(raw);
        } catch (GoStrconv.NumError e) {
            throw new FilterEvaluationException("error getting match value in expression: " + e.getMessage());
        }
    }

    // ---- any / all ----

    private boolean collection(Expr.Collection collection, Scope scope) throws FilterEvaluationException {
        JsonNode value = lookup(collection.selector().path(), scope);
        if (value.isMissingNode()) {
            return collection.all(); // a missing key is an empty collection
        }
        if (!value.isContainerNode() && !value.isNull()) {
            throw new FilterEvaluationException(collection.selector() + " is not a list or a map");
        }
        Expr.Binding binding = collection.binding();
        List<String> base = collection.selector().path();
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                String key = entry.getKey();
                checkBinding(binding);
                Scope inner = scope;
                if (binding.single().isPresent()) {
                    inner = Scope.value(binding.single().get(), TextNode.valueOf(key), "string", inner);
                }
                if (binding.index().isPresent()) {
                    inner = Scope.value(binding.index().get(), TextNode.valueOf(key), "string", inner);
                }
                if (binding.value().isPresent()) {
                    inner = Scope.path(binding.value().get(), append(base, key), inner);
                }
                Boolean decided = decide(collection, inner);
                if (decided != null) {
                    return decided;
                }
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkBinding(binding);
                Scope inner = scope;
                if (binding.index().isPresent()) {
                    inner = Scope.value(binding.index().get(), new IndexNode(i), "int", inner);
                }
                String element = Integer.toString(i);
                if (binding.single().isPresent()) {
                    inner = Scope.path(binding.single().get(), append(base, element), inner);
                }
                if (binding.value().isPresent()) {
                    inner = Scope.path(binding.value().get(), append(base, element), inner);
                }
                Boolean decided = decide(collection, inner);
                if (decided != null) {
                    return decided;
                }
            }
        }
        return collection.all();
    }

    /** The collection's result if this element settles it (true for any, false for all), else null. */
    private Boolean decide(Expr.Collection collection, Scope inner) throws FilterEvaluationException {
        boolean result = eval(collection.inner(), inner);
        if (result != collection.all()) {
            return result;
        }
        return null;
    }

    private static void checkBinding(Expr.Binding binding) throws FilterEvaluationException {
        if (binding.index().isPresent() && binding.index().equals(binding.value())) {
            throw new FilterEvaluationException(GoStrconv.quote(binding.index().get())
                    + " cannot be used as a placeholder for both the index and the value");
        }
    }

    private static List<String> append(List<String> path, String part) {
        List<String> result = new ArrayList<>(path);
        result.add(part);
        return result;
    }

    // ---- lookup ----

    /**
     * bexpr's {@code getValue}: local names first (innermost first, a name bound to a path is replaced by that path
     * and resolution goes on outward), then the record. A key missing from a map yields {@link MissingNode}, so the
     * operator decides; anything else that cannot be found is an error.
     */
    private JsonNode lookup(List<String> path, Scope scope) throws FilterEvaluationException {
        List<String> resolved = path;
        for (Scope s = scope; s != null && !resolved.isEmpty(); s = s.outer) {
            if (!resolved.get(0).equals(s.name)) {
                continue;
            }
            if (s.path == null) {
                if (resolved.size() > 1) {
                    throw new FilterEvaluationException(pointer(List.of(s.name)) + " references a " + s.goType
                            + " so " + pointer(resolved) + " is invalid");
                }
                return s.value;
            }
            List<String> replaced = new ArrayList<>(s.path);
            replaced.addAll(resolved.subList(1, resolved.size()));
            resolved = replaced;
        }
        try {
            return get(resolved);
        } catch (LookupException e) {
            if (e.notFound && parentIsMap(resolved)) {
                return MissingNode.getInstance();
            }
            throw new FilterEvaluationException("error finding value in datum: " + e.getMessage());
        }
    }

    /** bexpr's {@code evaluateNotPresent}: only a key missing from a map (not a top-level field) is "not present". */
    private boolean parentIsMap(List<String> path) {
        if (path.size() < 2) {
            return false;
        }
        try {
            JsonNode parent = get(path.subList(0, path.size() - 1));
            return parent.isObject() || parent.isNull();
        } catch (LookupException e) {
            return false;
        }
    }

    /** {@code pointerstructure.Pointer.Get} over JSON, with its messages. */
    private JsonNode get(List<String> path) throws LookupException {
        JsonNode current = root;
        for (int i = 0; i < path.size(); i++) {
            String part = path.get(i);
            if (current.isObject()) {
                JsonNode next = current.get(part);
                if (next == null) {
                    throw new LookupException(true, pointer(path) + " at part " + i + ": couldn't find key "
                            + GoStrconv.quote(part));
                }
                current = next;
            } else if (current.isArray()) {
                long index;
                try {
                    // mapstructure's weak decoding of a string into an int
                    index = GoStrconv.parseInt(part.isEmpty() ? "0" : part);
                } catch (GoStrconv.NumError e) {
                    throw new LookupException(false, pointer(path) + " at part " + i + ": couldn't convert value "
                            + GoStrconv.quote(part) + " to type int");
                }
                if (index < 0 || index >= current.size()) {
                    throw new LookupException(false, pointer(path) + " at part " + i + ": index " + index
                            + " is out of range (length = " + current.size() + ")");
                }
                current = current.get((int) index);
            } else if (current.isNull()) {
                // a nil map has no keys
                throw new LookupException(true, pointer(path) + " at part " + i + ": couldn't find key "
                        + GoStrconv.quote(part));
            } else {
                throw new LookupException(false, pointer(path) + ": at part " + i + ", invalid value kind: "
                        + goKind(current));
            }
        }
        return current;
    }

    /** {@code pointerstructure.Pointer.String()}: "/a/b" with "~" and "/" escaped. */
    private static String pointer(List<String> path) {
        if (path.isEmpty()) {
            return "";
        }
        return path.stream().map(p -> "/" + p.replace("~", "~0").replace("/", "~1")).collect(Collectors.joining());
    }

    private static final class LookupException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean notFound;

        LookupException(boolean notFound, String message) {
            super(message, null, false, false);
            this.notFound = notFound;
        }
    }

    /** A name bound by {@code any}/{@code all}: to a path in the record, or to a key or index value. */
    private static final class Scope {
        private final String name;
        private final List<String> path;
        private final JsonNode value;
        private final String goType;
        private final Scope outer;

        private Scope(String name, List<String> path, JsonNode value, String goType, Scope outer) {
            this.name = name;
            this.path = path;
            this.value = value;
            this.goType = goType;
            this.outer = outer;
        }

        static Scope path(String name, List<String> path, Scope outer) {
            return new Scope(name, List.copyOf(path), null, null, outer);
        }

        static Scope value(String name, JsonNode value, String goType, Scope outer) {
            return new Scope(name, null, value, goType, outer);
        }
    }

    /** Go's name for the kind of a value, for messages: an index bound by any/all is an int, not an int64. */
    private static String goKind(JsonNode node) {
        return node instanceof IndexNode ? "int" : Kind.of(node).goKind;
    }

    /** The index any/all binds for a list element: a Go int in bexpr, which only its messages tell apart. */
    private static final class IndexNode extends IntNode {
        private static final long serialVersionUID = 1L;

        IndexNode(int index) {
            super(index);
        }
    }

    /** The Go kind a JSON value stands for, with Go's names for messages. */
    private enum Kind {
        STRING("string", "string"),
        INT64("int64", "int64"),
        FLOAT64("float64", "float64"),
        BOOL("bool", "bool"),
        MAP("map", "map[string]interface {}"),
        SLICE("slice", "[]interface {}"),
        NIL("invalid", "<nil>");

        private final String goKind;
        private final String goType;

        Kind(String goKind, String goType) {
            this.goKind = goKind;
            this.goType = goType;
        }

        static Kind of(JsonNode node) {
            if (node.isTextual() || node.isBinary()) {
                return STRING; // a binary node is a base64 string in the JSON record
            }
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return INT64;
            }
            if (node.isNumber()) {
                return FLOAT64;
            }
            if (node.isBoolean()) {
                return BOOL;
            }
            if (node.isObject()) {
                return MAP;
            }
            if (node.isArray()) {
                return SLICE;
            }
            return NIL;
        }
    }
}
