package io.taskapi.plugin.config;

import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_ADDRESS;
import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_TLS_CA_FILE;
import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_TLS_CERT_FILE;
import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_TLS_KEY_FILE;
import static io.taskapi.plugin.config.TaskApiConfig.OPERATOR_TLS_VERIFY_CLIENT;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * HTTPS on the operator listener ({@code http.operator-tls-*}): the listener's certificate and key, reloaded when
 * the files change, and the CA that client certificates must chain to when they are verified.
 *
 * @param certFile the certificate (and any intermediates), PEM
 * @param keyFile its private key, PEM
 * @param caFile the CA certificates that client certificates must chain to, PEM, when clients are verified
 */
public record OperatorTlsConfig(Path certFile, Path keyFile, Optional<Path> caFile) {
    /**
     * Checks that nothing is missing.
     *
     * @param certFile see the record component of that name
     * @param keyFile see the record component of that name
     * @param caFile see the record component of that name
     */
    public OperatorTlsConfig {
        requireNonNull(certFile, "certFile is null");
        requireNonNull(keyFile, "keyFile is null");
        requireNonNull(caFile, "caFile is null");
    }

    /** @return whether a client must present a certificate signed by {@link #caFile} (Nomad's verify_https_client) */
    public boolean verifyClient() {
        return caFile.isPresent();
    }

    static Optional<OperatorTlsConfig> read(Settings settings, boolean hasAddress) {
        Optional<String> cert = settings.optional(OPERATOR_TLS_CERT_FILE);
        Optional<String> key = settings.optional(OPERATOR_TLS_KEY_FILE);
        boolean verify = settings.bool(OPERATOR_TLS_VERIFY_CLIENT, false);
        Optional<String> ca = settings.optional(OPERATOR_TLS_CA_FILE);
        if (cert.isEmpty() && key.isEmpty()) {
            settings.check(OPERATOR_TLS_VERIFY_CLIENT, !verify,
                    OPERATOR_TLS_VERIFY_CLIENT + " needs " + OPERATOR_TLS_CERT_FILE + " and " + OPERATOR_TLS_KEY_FILE);
            settings.check(OPERATOR_TLS_CA_FILE, ca.isEmpty(),
                    OPERATOR_TLS_CA_FILE + " needs " + OPERATOR_TLS_CERT_FILE + " and " + OPERATOR_TLS_KEY_FILE);
            return Optional.empty();
        }
        settings.check(OPERATOR_TLS_CERT_FILE, cert.isPresent(),
                OPERATOR_TLS_CERT_FILE + " must be set with " + OPERATOR_TLS_KEY_FILE);
        settings.check(OPERATOR_TLS_KEY_FILE, key.isPresent(),
                OPERATOR_TLS_KEY_FILE + " must be set with " + OPERATOR_TLS_CERT_FILE);
        settings.check(OPERATOR_ADDRESS, hasAddress || settings.hasProblem(OPERATOR_ADDRESS),
                OPERATOR_TLS_CERT_FILE + " needs " + OPERATOR_ADDRESS);
        if (verify) {
            settings.check(OPERATOR_TLS_CA_FILE, ca.isPresent(),
                    OPERATOR_TLS_VERIFY_CLIENT + " needs " + OPERATOR_TLS_CA_FILE
                            + " (the CA that client certificates must chain to)");
        } else {
            settings.check(OPERATOR_TLS_CA_FILE, ca.isEmpty(),
                    OPERATOR_TLS_CA_FILE + " is used only with " + OPERATOR_TLS_VERIFY_CLIENT + " = true");
        }
        if (cert.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        Path certFile = Path.of(cert.get());
        Path keyFile = Path.of(key.get());
        try {
            PemFiles.certificates(certFile);
        } catch (IOException e) {
            settings.problem(OPERATOR_TLS_CERT_FILE, OPERATOR_TLS_CERT_FILE + ": " + e.getMessage());
        }
        try {
            PemFiles.privateKey(keyFile);
        } catch (IOException e) {
            settings.problem(OPERATOR_TLS_KEY_FILE, OPERATOR_TLS_KEY_FILE + ": " + e.getMessage());
        }
        if (!settings.hasProblem(OPERATOR_TLS_CERT_FILE) && !settings.hasProblem(OPERATOR_TLS_KEY_FILE)) {
            try {
                PemFiles.identity(certFile, keyFile);
            } catch (IOException e) {
                settings.problem(OPERATOR_TLS_KEY_FILE, OPERATOR_TLS_KEY_FILE + ": " + e.getMessage());
            }
        }
        Optional<Path> caFile = verify ? ca.map(Path::of) : Optional.empty();
        caFile.ifPresent(file -> {
            try {
                PemFiles.trust(file);
            } catch (IOException e) {
                settings.problem(OPERATOR_TLS_CA_FILE, OPERATOR_TLS_CA_FILE + ": " + e.getMessage());
            }
        });
        return Optional.of(new OperatorTlsConfig(certFile, keyFile, caFile));
    }
}
