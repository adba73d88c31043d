package io.taskapi.plugin.listener;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.config.OperatorTlsConfig;
import io.taskapi.plugin.config.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator listener's TLS: a Jetty {@link SslContextFactory.Server} (TLS 1.2 and 1.3 only) holding the PEM
 * certificate and key, and, when clients are verified, the CA their certificates must chain to. While it runs it
 * looks at the files every second and reloads them when their content changed; files that cannot be read (a
 * certificate replaced before its key, say) leave the previous ones in use and are tried again on the next change.
 */
public final class OperatorTls extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorTls.class);
    private static final long CHECK_MILLIS = 1_000;

    private final OperatorTlsConfig config;
    private final Server server;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private byte[] loaded;
    private byte[] failed;
    private volatile Scheduler.Task next;

    /**
     * @param config the files
     * @param server whose scheduler runs the checks
     * @throws IOException when the files cannot be read (the settings were checked at start; they may change since)
     */
    public OperatorTls(OperatorTlsConfig config, Server server) throws IOException {
        this.config = requireNonNull(config, "config is null");
        this.server = requireNonNull(server, "server is null");
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        factory.setNeedClientAuth(config.verifyClient());
        byte[] digest = digest();
        apply(factory);
        loaded = digest;
    }

    /** @return the factory for the listener's {@code SslConnectionFactory} */
    public SslContextFactory.Server contextFactory() {
        return factory;
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task pending = next;
        if (pending != null) {
            pending.cancel();
        }
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            next = server.getScheduler().schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        try {
            byte[] digest = digest();
            if (!Arrays.equals(digest, loaded) && !Arrays.equals(digest, failed)) {
                try {
                    factory.reload(this::apply);
                    loaded = digest;
                    failed = null;
                    LOG.info("reloaded the operator listener's TLS certificate from {}", config.certFile());
                } catch (Exception e) {
                    failed = digest;
                    LOG.warn("the operator listener keeps its TLS certificate: reloading failed: {}", e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("the operator listener's TLS files cannot be checked: {}", e.getMessage());
        } finally {
            schedule();
        }
    }

    private void apply(SslContextFactory target) {
        try {
            PemFiles.Identity identity = PemFiles.identity(config.certFile(), config.keyFile());
            target.setKeyStore(identity.store());
            target.setKeyStorePassword(identity.password());
            target.setKeyManagerPassword(identity.password());
            if (config.caFile().isPresent()) {
                target.setTrustStore(PemFiles.trust(config.caFile().get()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private byte[] digest() throws IOException {
        List<Path> files = new ArrayList<>(List.of(config.certFile(), config.keyFile()));
        config.caFile().ifPresent(files::add);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                sha.update(Files.readAllBytes(file));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
