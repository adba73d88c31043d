package io.taskapi.examples.ui;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain and its key from PEM files (what operators have, and what {@code -dev} generates), as the
 * in-memory key store Jetty's {@code SslContextFactory} serves. Keys: PKCS#8 ({@code PRIVATE KEY}) or OpenSSL's
 * traditional {@code EC}/{@code RSA PRIVATE KEY}; unencrypted.
 */
final class PemKeyStore {
    /** The in-memory store's password: it never leaves the process. */
    static final char[] PASSWORD = "ui-proxy".toCharArray();

    private PemKeyStore() {
    }

    /**
     * @param certFile the certificate, then any intermediates, PEM
     * @param keyFile the private key, PEM
     * @return a PKCS#12 store with the key under the alias {@code ui-proxy}
     * @throws IOException when a file cannot be read or holds no certificate or key
     */
    static KeyStore load(Path certFile, Path keyFile) throws IOException {
        List<Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        for (Object object : objects(certFile)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(certificates.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IOException(certFile + ": not a valid certificate: " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(certFile + ": no PEM certificate in it");
        }
        PrivateKey key = null;
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        for (Object object : objects(keyFile)) {
            if (object instanceof PrivateKeyInfo info) {
                key = keys.getPrivateKey(info);
            } else if (object instanceof PEMKeyPair pair) {
                key = keys.getKeyPair(pair).getPrivate();
            }
        }
        if (key == null) {
            throw new IOException(keyFile + ": no unencrypted PEM private key in it");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("ui-proxy", key, PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key of " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static List<Object> objects(Path file) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            for (Object object = pem.readObject(); object != null; object = pem.readObject()) {
                objects.add(object);
            }
        }
        return objects;
    }
}
