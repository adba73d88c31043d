package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator listener's certificate when the agent runs without {@code -dev}: the operator's ({@code
 * -tls-cert-file}, {@code -tls-key-file}) or, when none is given, a self-signed one (ECDSA P-256, one year, SANs
 * {@code localhost}, the node name, 127.0.0.1, ::1 and the bind address) generated with Bouncy Castle into {@code
 * <data-dir>/tls/} once and reused on later starts. The plugin serves it and reloads it when the files change;
 * clients trust it with {@code -ca-cert} or {@code NOMAD_CACERT}. The UI proxy's {@code -dev} certificate is made
 * the same way ({@link #selfSigned}).
 */
public final class AgentCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCertificate.class);

    private AgentCertificate() {
    }

    /**
     * @param options the agent's options
     * @param tlsDir where a generated certificate lives
     * @param nodeName this node's name, one of a generated certificate's names
     * @return the certificate and key files to serve, generated when the operator gave none and none exists yet
     * @throws IOException when a certificate cannot be generated
     */
    static PemPair ensure(AgentOptions options, Path tlsDir, String nodeName) throws IOException {
        requireNonNull(options, "options is null");
        Path certFile = options.tls().certFile().orElse(tlsDir.resolve("agent.crt"));
        Path keyFile = options.tls().keyFile().orElse(tlsDir.resolve("agent.key"));
        if (options.tls().certFile().isEmpty() && !(Files.exists(certFile) && Files.exists(keyFile))) {
            try {
                generate(certFile, keyFile, "taskapi agent", subjectNames(options.bindHost(), nodeName));
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IOException("cannot generate the agent's TLS certificate: " + e.getMessage(), e);
            }
        }
        return new PemPair(certFile, keyFile);
    }

    /**
     * A new self-signed certificate of the same kind as the agent's (ECDSA P-256, one year, server authentication).
     *
     * @param certFile where the certificate goes, PEM
     * @param keyFile where its private key goes, PEM, readable by the owner only
     * @param commonName the subject's CN
     * @param hosts its names: DNS names and IP literals
     * @return the two files
     * @throws IOException when it cannot be generated or written
     */
    public static PemPair selfSigned(Path certFile, Path keyFile, String commonName, List<String> hosts)
            throws IOException {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            boolean ip = host.matches("[0-9.]+") || host.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        try {
            generate(certFile, keyFile, commonName, names);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate a TLS certificate: " + e.getMessage(), e);
        }
        return new PemPair(certFile, keyFile);
    }

    /**
     * The files the plugin serves.
     *
     * @param certFile the certificate, PEM
     * @param keyFile its private key, PEM
     */
    public record PemPair(Path certFile, Path keyFile) {
        /** Checks for nulls. */
        public PemPair {
            requireNonNull(certFile, "certFile is null");
            requireNonNull(keyFile, "keyFile is null");
        }
    }

    private static List<GeneralName> subjectNames(String bindHost, String nodeName) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        if (bindHost.matches("[0-9.]+") || bindHost.contains(":")) {
            if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
                ips.add(bindHost);
            }
        } else {
            dns.add(bindHost);
        }
        if (nodeName.matches("[A-Za-z0-9.-]+")) {
            dns.add(nodeName);
        }
        List<GeneralName> names = new ArrayList<>();
        dns.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return names;
    }

    private static void generate(Path certFile, Path keyFile, String commonName, List<GeneralName> names)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "taskapi")
                .addRDN(BCStyle.CN, commonName).build();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(new GeneralName[0])));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        // PKCS#8 ("PRIVATE KEY") as the JDK encodes it, with the curve named: readable by Java, OpenSSL and Go.
        writePem(keyFile, new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()),
                "rw-------");
        writePem(certFile, certificate, "rw-r--r--");
        LOG.info("generated a self-signed TLS certificate: {}", certFile);
    }

    /** Written to a temporary file created with its final mode, then moved into place. */
    private static void writePem(Path file, Object object, String mode) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(object);
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
            out.write(text.toString());
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
