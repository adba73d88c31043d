package io.taskapi.plugin.auth.login;

/** A login token that does not pass its auth method's checks. The message never quotes the token. */
public final class LoginRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message why, in words that hold nothing of the token */
    public LoginRejectedException(String message) {
        super(message);
    }
}
