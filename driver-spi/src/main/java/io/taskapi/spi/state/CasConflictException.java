package io.taskapi.spi.state;

import java.util.Optional;

/** A check-and-set write found the variable in another state than expected. Nothing changed. */
public final class CasConflictException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient StoredVariable current;

    /**
     * @param current the variable as it is now, or {@code null} when it does not exist
     */
    public CasConflictException(StoredVariable current) {
        super(current == null ? "variable does not exist" : "variable has modify index " + current.modifyIndex(),
                null, false, false);
        this.current = current;
    }

    /** @return the variable as it is now, if it exists */
    public Optional<StoredVariable> current() {
        return Optional.ofNullable(current);
    }
}
