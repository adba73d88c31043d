package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that wraps the cluster's keyring in etcd: AES-256, loaded by every agent from a file of its own (one line,
 * base64 of 32 bytes, mode 0600), never stored in etcd. Key material in etcd is always wrapped by it (AES-GCM, a
 * random 96-bit nonce, the key's id as associated data, so a wrapped key cannot be passed off as another).
 * {@link #toString()} shows nothing of the key.
 */
public final class RootKey {
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CONTEXT = "taskapi keyring v1 key ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private RootKey(byte[] material) {
        this.key = new SecretKeySpec(material, "AES");
    }

    /**
     * @param file the root key file: base64 of 32 bytes, readable by its owner only
     * @return the root key
     * @throws IOException when the file cannot be read, is readable by others, or holds no 32-byte key (the message
     *     never holds key material)
     */
    public static RootKey load(Path file) throws IOException {
        requireNonNull(file, "file is null");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (PosixFilePermission open : Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE)) {
            if (permissions.contains(open)) {
                throw new IOException("the root key file " + file + " is accessible to others ("
                        + PosixFilePermissions.toString(permissions) + "); make it 0600");
            }
        }
        byte[] material;
        try {
            material = Base64.getDecoder().decode(Files.readString(file, US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("the root key file " + file + " is not base64", null);
        }
        if (material.length != KEY_BYTES) {
            throw new IOException("the root key file " + file + " does not hold a 32-byte key");
        }
        return new RootKey(material);
    }

    /**
     * Writes a new random root key to a new file (mode 0600): give the same file to every agent of the cluster.
     *
     * @param file where; must not exist
     * @return the key
     * @throws IOException when it cannot be written
     */
    public static RootKey generate(Path file) throws IOException {
        byte[] material = new byte[KEY_BYTES];
        RANDOM.nextBytes(material);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getEncoder().encodeToString(material) + "\n", US_ASCII);
        return new RootKey(material);
    }

    /**
     * @param keyId the wrapped key's id, bound to the result
     * @param material the key material
     * @return nonce and ciphertext
     */
    byte[] wrap(String keyId, byte[] material) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD((CONTEXT + keyId).getBytes(UTF_8));
            byte[] sealed = cipher.doFinal(material);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK", e);
        }
    }

    /**
     * @param keyId the id the key was wrapped for
     * @param wrapped nonce and ciphertext
     * @return the material
     * @throws GeneralSecurityException when this root key did not wrap it for that id (or it was altered)
     */
    byte[] unwrap(String keyId, byte[] wrapped) throws GeneralSecurityException {
        if (wrapped.length <= NONCE_BYTES) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(wrapped, NONCE_BYTES)));
        cipher.updateAAD((CONTEXT + keyId).getBytes(UTF_8));
        return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
    }

    @Override
    public String toString() {
        return "RootKey[<redacted>]";
    }
}
