package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.options.OptionsUtil;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.state.etcd.EtcdStateConfig.Credentials;
import io.taskapi.state.etcd.EtcdStateConfig.Tls;
import io.taskapi.testing.etcd.EtcdCluster;
import io.taskapi.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * etcd secured as docs/cluster.md advises: members serve clients over TLS only and require client certificates,
 * authentication is on, and the agents' user may touch its key prefix only.
 */
class SecuredClusterTest {
    private static final String ALLOWED = "/secured";
    private static final Credentials AGENT = new Credentials("agent", "agent-password");
    private static Path directory;
    private static TestPki pki;
    private static Path clientCert;
    private static EtcdCluster cluster;
    private final List<EtcdState> opened = new ArrayList<>();

    @BeforeAll
    static void startSecuredCluster() throws Exception {
        directory = Files.createTempDirectory("taskapi-etcd-tls-");
        pki = TestPki.ca(directory, "etcd");
        Path member = pki.leaf("member", "serverAuth");
        // Not named like any etcd user: with client-cert-auth, etcd takes a certificate's CN as the user name when a
        // request carries no password token.
        clientCert = pki.leaf("taskapi-client", "clientAuth");
        cluster = EtcdCluster.start(3, new EtcdCluster.Tls(pki.caCert(), member, TestPki.keyOf(member)));
        try (Client root = Client.builder().endpoints(cluster.endpoints())
                .sslContext(ssl -> ssl.trustManager(pki.caCert().toFile()).keyManager(clientCert.toFile(),
                        TestPki.keyOf(clientCert).toFile())).build()) {
            Auth auth = root.getAuthClient();
            auth.userAdd(bytes("root"), bytes("root-password")).get();
            auth.roleAdd(bytes("root")).get();
            auth.userGrantRole(bytes("root"), bytes("root")).get();
            auth.roleAdd(bytes("taskapi")).get();
            auth.roleGrantPermission(bytes("taskapi"), bytes(ALLOWED), OptionsUtil.prefixEndOf(bytes(ALLOWED)),
                    Permission.Type.READWRITE).get();
            auth.userAdd(bytes(AGENT.user()), bytes(AGENT.password())).get();
            auth.userGrantRole(bytes(AGENT.user()), bytes("taskapi")).get();
            auth.authEnable().get();
        }
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @AfterEach
    void closeAgents() {
        opened.forEach(EtcdState::close);
    }

    private EtcdState agent(String prefix, Optional<Path> certificate, Optional<Credentials> credentials) {
        EtcdStateConfig config = EtcdStateConfig.of(cluster.endpoints(), prefix)
                .withTimings(TestCluster.BOUND, TestCluster.REQUEST_TIMEOUT, TestCluster.HEARTBEAT)
                .withTls(new Tls(pki.caCert(), certificate, certificate.map(TestPki::keyOf)));
        if (credentials.isPresent()) {
            config = config.withCredentials(credentials.get());
        }
        EtcdState state = EtcdState.connect(config);
        opened.add(state);
        return state;
    }

    @Test
    void agentsOverTlsWithTheirUserShareTokens() throws Exception {
        EtcdState a = agent(ALLOWED + "/one", Optional.of(clientCert), Optional.of(AGENT));
        EtcdState b = agent(ALLOWED + "/one", Optional.of(clientCert), Optional.of(AGENT));
        a.aclTokens();
        b.aclTokens();
        a.awaitLoaded(Duration.ofSeconds(20));
        b.awaitLoaded(Duration.ofSeconds(20));

        AclToken token = TwoAgentsTest.token(AclTokenType.CLIENT);
        a.aclTokens().put(token);

        assertEquals(token, TwoAgentsTest.awaitValue(() -> b.aclTokens().findBySecretId(token.secretId())));
    }

    @Test
    void anAgentWithoutCredentialsLoadsNothingAndCannotWrite() {
        EtcdState anonymous = agent(ALLOWED + "/two", Optional.of(clientCert), Optional.empty());
        EtcdAclTokenStore tokens = anonymous.aclTokens();

        assertThrows(StateUnavailableException.class, () -> anonymous.awaitLoaded(Duration.ofSeconds(3)));
        assertThrows(StateUnavailableException.class, tokens::list);
        assertThrows(StateUnavailableException.class, () -> tokens.put(TwoAgentsTest.token(AclTokenType.CLIENT)));
    }

    @Test
    void anAgentOutsideItsUsersPrefixIsRefused() {
        EtcdState outside = agent("/elsewhere", Optional.of(clientCert), Optional.of(AGENT));
        EtcdAclTokenStore tokens = outside.aclTokens();

        assertThrows(StateUnavailableException.class, () -> outside.awaitLoaded(Duration.ofSeconds(3)));
        StateUnavailableException refused = assertThrows(StateUnavailableException.class,
                () -> tokens.put(TwoAgentsTest.token(AclTokenType.CLIENT)));
        assertFalse(refused.getMessage().contains(AGENT.password()), refused.getMessage());
    }

    @Test
    void anAgentWithoutAClientCertificateIsRefused() {
        EtcdState noCertificate = agent(ALLOWED + "/three", Optional.empty(), Optional.of(AGENT));
        noCertificate.aclTokens();

        assertThrows(StateUnavailableException.class, () -> noCertificate.awaitLoaded(Duration.ofSeconds(3)));
    }

    private static ByteSequence bytes(String value) {
        return ByteSequence.from(value, UTF_8);
    }
}
