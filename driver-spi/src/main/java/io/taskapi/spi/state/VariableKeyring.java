package io.taskapi.spi.state;

import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The AES-256 keys the plugin encrypts variables with, before any {@link VariableStore} sees them. An agent that
 * shares its variables between machines shares this keyring too (a variable written through one agent must decrypt
 * on the others); one that leaves it out gets the plugin's file keyring under {@code state.data-dir}.
 *
 * <p>A keyring can be <b>sealed</b> (its keys are not available here, for example without the root key that wraps
 * them): every call that needs key material then throws {@link StateUnavailableException}, and the variable routes
 * answer 503 with {@link #sealedReason()}. Implementations never put key material in a message or a log.
 *
 * @since SPI 1.3
 */
public interface VariableKeyring {
    /**
     * @return the id and material of the key new ciphertexts use
     * @throws StateUnavailableException when the keyring is sealed or cannot answer
     */
    Map.Entry<String, SecretKey> activeKey() throws StateUnavailableException;

    /**
     * @param keyId the id a ciphertext names
     * @return that key's material
     * @throws StateUnavailableException when the key is unknown, the keyring is sealed or cannot answer
     */
    SecretKey key(String keyId) throws StateUnavailableException;

    /** @return why the keyring is sealed, or empty when it is not */
    Optional<String> sealedReason();
}
