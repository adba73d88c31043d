package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
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
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS in front of the plugin's operator listener (which speaks plain HTTP only, on a private loopback port): accepts
 * TLS 1.2/1.3 on the agent's address and relays each connection's bytes to the plugin. The certificate is the
 * operator's ({@code -tls-cert-file}, {@code -tls-key-file}) or, when none is given, a self-signed one (ECDSA P-256,
 * one year, SANs {@code localhost}, the node name, 127.0.0.1, ::1 and the bind address) generated with Bouncy Castle
 * into {@code <data-dir>/tls/} and reused on later starts. Clients trust it with {@code -ca-cert} or
 * {@code NOMAD_CACERT}.
 */
final class TlsFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsFront.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLServerSocket server;
    private final InetSocketAddress backend;
    private final Path certificateFile;
    private final ExecutorService threads;
    private final Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TlsFront(SSLServerSocket server, InetSocketAddress backend, Path certificateFile) {
        this.server = server;
        this.backend = backend;
        this.certificateFile = certificateFile;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "taskapi-tls-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    static TlsFront start(AgentOptions options, Path tlsDir, String nodeName, InetSocketAddress backend)
            throws IOException {
        requireNonNull(options, "options is null");
        Path certFile = options.tlsCertFile().orElse(tlsDir.resolve("agent.crt"));
        Path keyFile = options.tlsKeyFile().orElse(tlsDir.resolve("agent.key"));
        try {
            if (options.tlsCertFile().isEmpty() && !(Files.exists(certFile) && Files.exists(keyFile))) {
                generate(certFile, keyFile, subjectNames(options.bindHost(), nodeName));
            }
            X509Certificate certificate = readCertificate(certFile);
            PrivateKey key = readKey(keyFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("agent", key, NO_PASSWORD, new X509Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            server.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(options.bindHost(), options.port()));
            TlsFront front = new TlsFront(server, backend, certFile);
            front.threads.execute(front::acceptLoop);
            return front;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    Path certificateFile() {
        return certificateFile;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(TlsFront::closeQuietly);
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("TLS accept failed: {}", e.toString());
                }
                continue;
            }
            threads.execute(() -> relay((SSLSocket) client));
        }
    }

    private void relay(SSLSocket client) {
        open.add(client);
        Socket upstream = new Socket();
        open.add(upstream);
        try {
            client.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
            client.startHandshake();
            client.setSoTimeout(0);
            upstream.connect(backend, (int) HANDSHAKE_TIMEOUT.toMillis());
            threads.execute(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException e) {
            LOG.debug("TLS connection ended: {}", e.getClass().getSimpleName());
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException e) {
            // closed by the other side
        } catch (IOException e) {
            LOG.debug("relay ended: {}", e.getClass().getSimpleName());
        } finally {
            closeQuietly(from);
            closeQuietly(to);
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

    private static void generate(Path certFile, Path keyFile, List<GeneralName> names)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        var subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "taskapi")
                .addRDN(BCStyle.CN, "taskapi agent").build();
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

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof org.bouncycastle.cert.X509CertificateHolder holder)) {
                throw new IOException(file + " does not hold a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                // SEC1 "EC PRIVATE KEY" (as Bouncy Castle writes one) may carry no public key: use the private part.
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException(file + " does not hold an unencrypted PEM private key");
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
