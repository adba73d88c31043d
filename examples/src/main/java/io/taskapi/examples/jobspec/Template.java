package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string from a job file with Nomad's runtime interpolation: {@code ${NOMAD_SECRETS_DIR}},
 * {@code ${attr.kernel.name}},
 * {@code ${env["NAME"]}}; <code>$${</code> is a literal <code>${</code>. Only these forms are supported: any other expression or a
 * template directive ({@code %{…}}) is an error when the job is read, not a surprise when the task starts.
 *
 * <p>What an unknown variable becomes is the caller's choice ({@link Unknown}), because Nomad itself differs by place:
 * its {@code env} values go through {@code ReplaceEnv}, which leaves {@code ${UNKNOWN}} as written, while a driver's
 * {@code config} is evaluated as HCL 2 and an unknown variable fails the task.
 */
public final class Template {
    /** Nomad's variable-name alphabet ({@code helper/args}): letters, digits, {@code _ - .}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern ENV_INDEX = Pattern.compile("env\\s*\\[\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*]");

    /** What to do with a variable the lookup does not know. */
    public enum Unknown {
        /** Leave it as written, as Nomad's {@code ReplaceEnv} does for env values. */
        KEEP,
        /** Refuse, as Nomad's HCL 2 evaluation of a driver config does. */
        FAIL
    }

    /**
     * A variable a template refers to.
     *
     * @param kind a plain name ({@code ${NAME}}) or an index into the environment ({@code ${env["NAME"]}})
     * @param name the variable's name
     */
    public record Reference(Kind kind, String name) {
        /** How the variable is written. */
        public enum Kind {
            /**
             * {@code ${NAME}}: the task's environment, then the node's attributes ({@code attr.*}, {@code node.*},
             * {@code meta.*}).
             */
            VARIABLE,
            /** {@code ${env["NAME"]}}: the task's environment only. */
            ENV
        }

        /** Checks for nulls. */
        public Reference {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
        }

        /** @return the reference as a job file writes it */
        public String written() {
            return kind == Kind.VARIABLE ? "${" + name + "}" : "${env[\"" + name.replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"]}";
        }
    }

    /** A variable the lookup did not know, under {@link Unknown#FAIL}. */
    public static final class UnknownVariableException extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient Reference reference;

        UnknownVariableException(Reference reference) {
            super("unknown variable " + reference.written() + " (write $${ for a literal ${)");
            this.reference = reference;
        }

        /** @return the variable */
        public Reference reference() {
            return reference;
        }
    }

    // Each part is a String (literal text) or a Reference, paired with its original text for Unknown.KEEP.
    private record Part(String literal, Reference reference, String written) {}

    private final List<Part> parts;

    private Template(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * @param text a string value from a job file, template sequences kept as written
     * @return the template
     * @throws IllegalArgumentException for an unsupported expression or directive; the message quotes it
     */
    public static Template parse(String text) {
        requireNonNull(text, "text is null");
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if ((c == '$' || c == '%') && text.startsWith(c + "" + c + "{", i)) {
                literal.append(c).append('{');
                i += 3;
            } else if (c == '%' && text.startsWith("%{", i)) {
                throw new IllegalArgumentException("template directives (" + excerpt(text, i)
                        + ") are not supported; write %%{ for a literal %{");
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = closingBrace(text, i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated template sequence " + excerpt(text, i));
                }
                if (literal.length() > 0) {
                    parts.add(new Part(literal.toString(), null, null));
                    literal.setLength(0);
                }
                String written = text.substring(i, end + 1);
                parts.add(new Part(null, reference(text.substring(i + 2, end).trim(), written), written));
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null, null));
        }
        return new Template(parts);
    }

    /** @return the variables this template refers to, in order */
    public List<Reference> references() {
        return parts.stream().filter(p -> p.reference() != null).map(Part::reference).toList();
    }

    /**
     * @param lookup a variable's value, or empty when it is unknown
     * @param unknown what an unknown variable becomes
     * @return the text with every known variable replaced
     * @throws UnknownVariableException for an unknown variable under {@link Unknown#FAIL}
     */
    public String render(Function<Reference, Optional<String>> lookup, Unknown unknown)
            throws UnknownVariableException {
        requireNonNull(lookup, "lookup is null");
        requireNonNull(unknown, "unknown is null");
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.reference() == null) {
                out.append(part.literal());
                continue;
            }
            Optional<String> value = lookup.apply(part.reference());
            if (value.isPresent()) {
                out.append(value.get());
            } else if (unknown == Unknown.KEEP) {
                out.append(part.written());
            } else {
                throw new UnknownVariableException(part.reference());
            }
        }
        return out.toString();
    }

    private static Reference reference(String expression, String written) {
        if (NAME.matcher(expression).matches()) {
            return new Reference(Reference.Kind.VARIABLE, expression);
        }
        Matcher env = ENV_INDEX.matcher(expression);
        if (env.matches()) {
            String name = env.group(1).replaceAll("\\\\(.)", "$1");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty variable name in " + written);
            }
            return new Reference(Reference.Kind.ENV, name);
        }
        throw new IllegalArgumentException("unsupported expression " + written
                + ": only ${NAME} and ${env[\"NAME\"]} are interpolated; write $${ for a literal ${");
    }

    /** The index of the brace closing a sequence opened before {@code from}, skipping nested braces and strings. */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String excerpt(String text, int from) {
        int end = Math.min(text.length(), from + 40);
        return text.substring(from, end) + (end < text.length() ? "…" : "");
    }
}
