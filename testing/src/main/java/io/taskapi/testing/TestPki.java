package io.taskapi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for tests, made by the real {@code openssl} (which must be on the PATH): a CA, and leaf certificates it
 * signs, PEM in a directory.
 */
public final class TestPki {
    private final Path dir;
    private final String name;

    private TestPki(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /**
     * @param dir where the files go
     * @param name the CA's file name prefix
     * @return a new CA, {@code <name>-ca.crt} and {@code <name>-ca.key} in the directory
     */
    public static TestPki ca(Path dir, String name) {
        TestPki pki = new TestPki(dir, name);
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=" + name + " test CA", "-keyout", pki.caKey().toString(), "-out",
                pki.caCert().toString());
        return pki;
    }

    /** @return the CA's certificate */
    public Path caCert() {
        return dir.resolve(name + "-ca.crt");
    }

    private Path caKey() {
        return dir.resolve(name + "-ca.key");
    }

    /**
     * A leaf signed by this CA, valid for localhost and 127.0.0.1, its key in PKCS#8.
     *
     * @param leaf the file name prefix: {@code <leaf>.crt} and {@code <leaf>.key}
     * @param usage serverAuth or clientAuth
     * @return the certificate file (the key is beside it)
     */
    public Path leaf(String leaf, String usage) {
        Path key = dir.resolve(leaf + ".key");
        Path csr = dir.resolve(leaf + ".csr");
        Path cert = dir.resolve(leaf + ".crt");
        Path ext = dir.resolve(leaf + ".ext");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + leaf,
                "-keyout", key.toString(), "-out", csr.toString());
        try {
            Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage="
                    + usage + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(), "-CAkey", caKey().toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
        return cert;
    }

    /**
     * @param cert a leaf's certificate file
     * @return its key file
     */
    public static Path keyOf(Path cert) {
        String file = cert.getFileName().toString();
        return cert.resolveSibling(file.substring(0, file.length() - ".crt".length()) + ".key");
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
