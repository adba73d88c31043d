package io.taskapi.hcl;

/** The type an {@link HclSchema} requires of an attribute's value. {@code null} satisfies none of them. */
public enum HclType {
    /** A quoted string or a heredoc. */
    STRING("a string"),
    /** Any number. */
    NUMBER("a number"),
    /** A number written as an integer. */
    INTEGER("a whole number"),
    /** {@code true} or {@code false}. */
    BOOL("a bool"),
    /** A list whose elements are all strings. */
    LIST_OF_STRINGS("a list of strings"),
    /** Any list. */
    LIST("a list"),
    /** An object value. */
    OBJECT("an object"),
    /** Anything, including {@code null}. */
    ANY("a value");

    private final String description;

    HclType(String description) {
        this.description = description;
    }

    /** {@return the type as an error message names it, e.g. "a list of strings"} */
    public String description() {
        return description;
    }

    /**
     * Checks {@code value} against this type.
     *
     * @param name the attribute's name, for the message
     * @param value the value
     * @throws HclParseException at the value (or at the offending list element) when it does not match
     */
    void check(String name, HclValue value) {
        boolean ok;
        switch (this) {
            case STRING:
                ok = value instanceof HclString;
                break;
            case NUMBER:
                ok = value instanceof HclNumber;
                break;
            case INTEGER:
                ok = value instanceof HclNumber && ((HclNumber) value).integral();
                break;
            case BOOL:
                ok = value instanceof HclBool;
                break;
            case LIST_OF_STRINGS:
                ok = value instanceof HclList;
                if (ok) {
                    for (HclValue element : ((HclList) value).elements()) {
                        if (!(element instanceof HclString)) {
                            throw mismatch(name, element);
                        }
                    }
                }
                break;
            case LIST:
                ok = value instanceof HclList;
                break;
            case OBJECT:
                ok = value instanceof HclObject;
                break;
            default:
                ok = true;
        }
        if (!ok) {
            throw mismatch(name, value);
        }
    }

    private HclParseException mismatch(String name, HclValue value) {
        return new HclParseException(value.position(), "\"" + name + "\" must be " + description + ", found "
                + value.typeName());
    }
}
