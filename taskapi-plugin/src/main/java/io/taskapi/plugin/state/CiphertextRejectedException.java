package io.taskapi.plugin.state;

import io.taskapi.spi.state.StoredVariable;

/**
 * A stored variable's ciphertext failed authentication: it was altered, moved to another namespace or path, or
 * relabelled with another key id. Nothing about the plaintext is in the message. The variable cannot be read; it is
 * an integrity failure of the store, not the caller's fault.
 */
public final class CiphertextRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param variable the variable that failed (its namespace, path and key id are named)
     * @param why why, never a value
     */
    CiphertextRejectedException(StoredVariable variable, String why) {
        super("the variable " + variable.namespace() + "/" + variable.path() + " (key " + variable.keyId()
                + ") cannot be decrypted: " + why);
    }
}
