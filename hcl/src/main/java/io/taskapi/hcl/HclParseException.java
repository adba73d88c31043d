package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

/**
 * A syntax or schema error. The message is {@code "<line>:<column>: <what>"}; the parts are available separately.
 */
public final class HclParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HclPosition position;
    private final String detail;

    /**
     * @param position where the problem is
     * @param detail what the problem is, without the position
     */
    public HclParseException(HclPosition position, String detail) {
        super(requireNonNull(position, "position is null") + ": " + requireNonNull(detail, "detail is null"));
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
