package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.hcl.HclPosition;

/**
 * An ACL policy that does not parse or is not valid. The message is {@code "<line>:<column>: <what>"} (for JSON
 * rules, the location Jackson reports).
 */
public final class PolicyParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HclPosition position;
    private final String detail;

    /**
     * @param position where the problem is
     * @param detail what the problem is, without the position
     */
    public PolicyParseException(HclPosition position, String detail) {
        this(position, detail, null);
    }

    /**
     * @param position where the problem is
     * @param detail what the problem is, without the position
     * @param cause the underlying error, or null
     */
    public PolicyParseException(HclPosition position, String detail, Throwable cause) {
        super(requireNonNull(position, "position is null") + ": " + requireNonNull(detail, "detail is null"), cause);
        this.position = position;
        this.detail = detail;
    }

    /** {@return where the problem is} */
    public HclPosition position() {
        return position;
    }

    /** {@return what the problem is, without the position} */
    public String detail() {
        return detail;
    }
}
