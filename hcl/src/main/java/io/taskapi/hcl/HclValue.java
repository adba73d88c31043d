package io.taskapi.hcl;

/**
 * An attribute value: a literal, a list or an object. Expressions (references, function calls, operators) are not part
 * of the subset; template sequences such as {@code ${…}} stay in the string text for the caller to handle.
 */
public sealed interface HclValue permits HclString, HclNumber, HclBool, HclNull, HclList, HclObject {
    /** {@return where the value starts} */
    HclPosition position();

    /** {@return the kind of value as written in error messages: string, number, bool, null, list or object} */
    String typeName();
}
