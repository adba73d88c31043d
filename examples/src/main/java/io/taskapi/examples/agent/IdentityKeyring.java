package io.taskapi.examples.agent;

import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's signing key for workload identities: RSA-2048, RS256, kept as PKCS#8 PEM ({@code 0600}) in the data
 * directory so identities stay verifiable across restarts. Its {@code kid} is the key's RFC 7638 thumbprint, so the
 * same key always has the same id. It is also the {@link IdentityKeyStore} the plugin verifies with and publishes at
 * {@code /.well-known/jwks.json} (on a single node; an agent in a cluster uses the cluster's keys instead).
 *
 * <p>Neither the key nor anything signed with it is ever logged or put in an exception message.
 */
public final class IdentityKeyring implements IdentityKeyStore, SigningKeys {
    /** The key file's name in the keys directory. */
    public static final String KEY_FILE = "identity-rs256.pem";

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final RSAPrivateCrtKey privateKey;
    private final VerificationKey verificationKey;

    private IdentityKeyring(RSAPrivateCrtKey privateKey) throws GeneralSecurityException {
        this.privateKey = privateKey;
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        this.verificationKey = new VerificationKey(thumbprint(publicKey), SigningAlgorithm.RS256, publicKey);
    }

    /**
     * @param keysDir a directory only the agent can read
     * @return the keyring with the key in {@code keysDir}, made there on first use
     * @throws IOException when the key cannot be read or written, or its file is readable by others
     */
    public static IdentityKeyring loadOrCreate(Path keysDir) throws IOException {
        Path file = keysDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(file);
            }
            return new IdentityKeyring(read(file));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the identity key in " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** @return the key id tokens carry in their header */
    public String keyId() {
        return verificationKey.keyId();
    }

    /** @return the public half, as the plugin verifies with it */
    public VerificationKey verificationKey() {
        return verificationKey;
    }

    @Override
    public ActiveKey active() {
        return new ActiveKey(keyId(), privateKey);
    }

    @Override
    public Optional<VerificationKey> findKey(String keyId) {
        Objects.requireNonNull(keyId, "keyId is null");
        return verificationKey.keyId().equals(keyId) ? Optional.of(verificationKey) : Optional.empty();
    }

    @Override
    public List<VerificationKey> publishedKeys() {
        return List.of(verificationKey);
    }

    private static void create(Path file) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8) + "\n" + END
                + "\n";
        // Created 0600 from the start (no window with wider permissions), then moved into place atomically.
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, pem, StandardCharsets.US_ASCII);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
        }
    }

    private static RSAPrivateCrtKey read(Path file) throws IOException, GeneralSecurityException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        String me = System.getProperty("user.name");
        if (!attributes.isRegularFile() || !attributes.owner().getName().equals(me)
                || !PosixFilePermissions.toString(attributes.permissions()).equals("rw-------")) {
            throw new IOException(file + " must be a regular file owned by " + me + " with mode 0600");
        }
        String pem = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!pem.startsWith(BEGIN) || !pem.endsWith(END)) {
            throw new IOException(file + " is not a PKCS#8 PEM private key");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(BEGIN.length(), pem.length() - END.length()));
        return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** RFC 7638: SHA-256 over the required members in lexical order, base64url. */
    private static String thumbprint(RSAPublicKey key) throws GeneralSecurityException {
        String json = "{\"e\":\"" + URL.encodeToString(unsigned(key.getPublicExponent())) + "\",\"kty\":\"RSA\",\"n\":\""
                + URL.encodeToString(unsigned(key.getModulus())) + "\"}";
        return URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }
}
