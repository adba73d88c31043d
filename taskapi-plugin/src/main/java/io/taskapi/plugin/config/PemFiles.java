package io.taskapi.plugin.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Certificates and private keys read from PEM files into in-memory key stores for Jetty. A key may be PKCS#8
 * ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY}), unencrypted. Errors name
 * the file, never its content.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final String ALIAS = "operator";

    private PemFiles() {
    }

    /**
     * A key store holding a certificate chain and its key, under a fresh password.
     *
     * @param certFile the certificate, then any intermediates, in PEM
     * @param keyFile the certificate's private key, in PEM
     * @return the store and its password
     * @throws IOException naming the file that cannot be read or holds no usable certificate or key
     */
    public static Identity identity(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new IOException("the key in " + keyFile + " is a " + key.getAlgorithm() + " key but the certificate in "
                    + certFile + " holds a " + chain.get(0).getPublicKey().getAlgorithm() + " key");
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
            return new Identity(store, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot hold the certificate of " + certFile + " and the key of " + keyFile + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param caFile one or more CA certificates in PEM
     * @return a trust store holding them
     * @throws IOException naming the file that cannot be read or holds no certificate
     */
    public static KeyStore trust(Path caFile) throws IOException {
        List<X509Certificate> certificates = certificates(caFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot hold the certificates of " + caFile + ": " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] bytes = read(file);
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException(file + " does not hold a readable PEM certificate", e);
        }
    }

    static PrivateKey privateKey(Path file) throws IOException {
        Matcher block = BLOCK.matcher(new String(read(file), StandardCharsets.US_ASCII));
        while (block.find()) {
            String type = block.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(block.group(2));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " holds a PEM block that is not base64", e);
            }
            try {
                switch (type) {
                    case "PRIVATE KEY":
                        return decode(PrivateKeyInfo.getInstance(der));
                    case "EC PRIVATE KEY":
                        ECPrivateKey ec = ECPrivateKey.getInstance(der);
                        return decode(new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                                ec.getParametersObject()), ec));
                    case "RSA PRIVATE KEY":
                        return decode(new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                                DERNull.INSTANCE), RSAPrivateKey.getInstance(der)));
                    default:
                        // another block (parameters, a certificate): look further
                }
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException(file + " holds a " + type + " that cannot be read", e);
            }
        }
        throw new IOException(file + " holds no unencrypted PEM private key (PRIVATE KEY, EC PRIVATE KEY or"
                + " RSA PRIVATE KEY)");
    }

    private static PrivateKey decode(PrivateKeyInfo info) throws IOException, GeneralSecurityException {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String algorithm = switch (oid) {
            case "1.2.840.10045.2.1" -> "EC";
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + oid);
        };
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist or is not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(file + " cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * A key store and the password of its key entry (random, in memory only).
     *
     * @param store the store
     * @param password its key entry's password
     */
    public record Identity(KeyStore store, String password) {
        /**
         * Checks that nothing is missing.
         *
         * @param store see the record component of that name
         * @param password see the record component of that name
         */
        public Identity {
            java.util.Objects.requireNonNull(store, "store is null");
            java.util.Objects.requireNonNull(password, "password is null");
        }

        @Override
        public String toString() {
            return "Identity[store, password=<hidden>]";
        }
    }
}
