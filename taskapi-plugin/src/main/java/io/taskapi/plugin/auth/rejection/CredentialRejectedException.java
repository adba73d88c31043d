package io.taskapi.plugin.auth.rejection;

import static java.util.Objects.requireNonNull;

/**
 * A credential was refused. The message is sent to the caller after {@code "Permission denied: "}, so it says what
 * was wrong in general terms and never holds the credential or any part of it. No stack trace is kept: this is an
 * expected outcome, not a fault.
 */
public final class CredentialRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    /**
     * @param reason the category, for metrics
     * @param message what was wrong, without any part of the credential
     */
    public CredentialRejectedException(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = requireNonNull(reason, "reason is null");
    }

    /** @return the category, for metrics */
    public RejectionReason reason() {
        return reason;
    }
}
