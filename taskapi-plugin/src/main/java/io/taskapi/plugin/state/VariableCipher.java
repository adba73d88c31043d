package io.taskapi.plugin.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VariableKeyring;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts a variable's items for the {@link io.taskapi.spi.state.VariableStore} and decrypts them back: AES-256-GCM
 * with the keyring's active key, a random 96-bit nonce per encryption and a 128-bit tag. The ciphertext is
 * {@code nonce || ciphertext || tag}; the items are their JSON object (keys sorted) before encryption.
 *
 * <p>The additional authenticated data binds the ciphertext to its namespace, path and key id (length-prefixed, with
 * a format label), so a ciphertext copied to another variable, or relabelled with another key id, fails to decrypt.
 * Decryption uses the key named by {@link StoredVariable#keyId()}, so variables written before a
 * {@linkplain Keyring#rotate() rotation} stay readable.
 *
 * <p>Nothing here logs; plaintext buffers are zeroed after use (best effort: the JVM may have copied them). A
 * random nonce allows about 2<sup>32</sup> encryptions per key; rotate well before that. Thread-safe.
 */
public final class VariableCipher {
    /** Nonce length in bytes. */
    public static final int NONCE_BYTES = 12;
    /** Tag length in bits. */
    public static final int TAG_BITS = 128;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final byte[] AAD_LABEL = "taskapi/variable/v1".getBytes(UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> ITEMS = new TypeReference<>() {};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VariableKeyring keyring;

    /** @param keyring the keys; when it is sealed, every call fails with {@link StateUnavailableException} */
    @Inject
    public VariableCipher(VariableKeyring keyring) {
        this.keyring = requireNonNull(keyring, "keyring is null");
    }

    /**
     * Encrypts items with the active key.
     *
     * @param namespace the variable's namespace
     * @param path the variable's path
     * @param items its items
     * @return the variable to {@linkplain io.taskapi.spi.state.VariableStore#put store}: key id and ciphertext set,
     *     indexes 0 and times at the epoch (the store sets them)
     * @throws StateUnavailableException when the keyring is sealed
     */
    public StoredVariable encrypt(String namespace, String path, Map<String, String> items)
            throws StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        requireNonNull(items, "items is null");
        Map.Entry<String, SecretKey> active = keyring.activeKey();
        String keyId = active.getKey();
        byte[] plaintext = serialize(items);
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, active.getValue(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(namespace, path, keyId));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] output = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return new StoredVariable(namespace, path, keyId, output, 0, 0, Instant.EPOCH, Instant.EPOCH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Decrypts a stored variable's items with the key it names.
     *
     * @param variable a variable as the store gave it
     * @return its items, sorted by key; unmodifiable
     * @throws StateUnavailableException when the keyring is sealed or does not hold the variable's key
     * @throws CiphertextRejectedException when the ciphertext does not authenticate: altered, moved to another
     *     namespace or path, or relabelled with another key id
     */
    public Map<String, String> decrypt(StoredVariable variable)
            throws StateUnavailableException, CiphertextRejectedException {
        requireNonNull(variable, "variable is null");
        SecretKey key = keyring.key(variable.keyId());
        byte[] data = variable.ciphertext();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new CiphertextRejectedException(variable, "it is too short");
        }
        byte[] plaintext = null;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(aad(variable.namespace(), variable.path(), variable.keyId()));
            plaintext = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return Collections.unmodifiableMap(JSON.readValue(plaintext, ITEMS));
        } catch (AEADBadTagException e) {
            throw new CiphertextRejectedException(variable, "it does not authenticate");
        } catch (IOException e) {
            // Authenticated but not our JSON: never quote it, it is plaintext.
            throw new CiphertextRejectedException(variable, "its plaintext is not an items object");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        } finally {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        return "VariableCipher[" + keyring + "]";
    }

    private static byte[] serialize(Map<String, String> items) {
        TreeMap<String, String> sorted = new TreeMap<>();
        items.forEach((key, value) -> sorted.put(requireNonNull(key, "an item key is null"),
                requireNonNull(value, "an item value is null")));
        try {
            return JSON.writeValueAsBytes(sorted);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /** {@code label || len(namespace) || namespace || len(path) || path || len(keyId) || keyId}, lengths 4 bytes. */
    private static byte[] aad(String namespace, String path, String keyId) {
        byte[][] parts = {AAD_LABEL, namespace.getBytes(UTF_8), path.getBytes(UTF_8), keyId.getBytes(UTF_8)};
        int length = 0;
        for (byte[] part : parts) {
            length += Integer.BYTES + part.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.putInt(part.length).put(part);
        }
        return buffer.array();
    }
}
