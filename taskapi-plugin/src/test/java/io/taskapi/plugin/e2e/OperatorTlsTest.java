package io.taskapi.plugin.e2e;

import io.taskapi.testing.TestPki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.taskapi.plugin.TaskApiModule;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.state.EmbeddedState;
import io.taskapi.plugin.state.StateStores;
import io.taskapi.spi.AgentState;
import io.taskapi.testing.TestingAgentState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator listener serving HTTPS itself, over real sockets with the real curl: certificates made by openssl,
 * the CA trusted, plain HTTP refused, client certificates verified, a replaced certificate served without a restart.
 */
final class OperatorTlsTest {
    @TempDir
    Path dir;

    private final Lifecycle lifecycle = new Lifecycle();

    @AfterEach
    void stop() {
        lifecycle.close();
    }

    @Test
    void httpsWithTheCaSucceedsAndPlainHttpToTheTlsPortFails() throws Exception {
        TestPki pki = TestPki.ca(dir, "one");
        Path cert = pki.leaf("server", "serverAuth");
        int port = start(Map.of(TaskApiConfig.OPERATOR_TLS_CERT_FILE, cert.toString(),
                TaskApiConfig.OPERATOR_TLS_KEY_FILE, TestPki.keyOf(cert).toString()));

        assertThat(curl("https://127.0.0.1:" + port + "/v1/agent/health", "--cacert", pki.caCert().toString()))
                .isEqualTo("200");
        assertThat(curl("https://localhost:" + port + "/v1/agent/health", "--cacert", pki.caCert().toString(),
                "--tls-max", "1.2")).isEqualTo("200");
        assertThat(curl("https://127.0.0.1:" + port + "/v1/agent/health")).as("without the CA").isNotEqualTo("200");
        assertThat(curl("http://127.0.0.1:" + port + "/v1/agent/health")).as("plain HTTP").isNotEqualTo("200");
        assertThat(curl("https://127.0.0.1:" + port + "/v1/agent/health", "--cacert", pki.caCert().toString(),
                "--tlsv1.1", "--tls-max", "1.1")).as("TLS 1.1").isNotEqualTo("200");
    }

    @Test
    void withClientVerificationOnlyAClientWithACertificateSignedByTheCaIsServed() throws Exception {
        TestPki pki = TestPki.ca(dir, "one");
        TestPki other = TestPki.ca(dir, "other");
        Path cert = pki.leaf("server", "serverAuth");
        Path client = pki.leaf("client", "clientAuth");
        Path stranger = other.leaf("stranger", "clientAuth");
        int port = start(Map.of(TaskApiConfig.OPERATOR_TLS_CERT_FILE, cert.toString(),
                TaskApiConfig.OPERATOR_TLS_KEY_FILE, TestPki.keyOf(cert).toString(),
                TaskApiConfig.OPERATOR_TLS_VERIFY_CLIENT, "true",
                TaskApiConfig.OPERATOR_TLS_CA_FILE, pki.caCert().toString()));
        String url = "https://127.0.0.1:" + port + "/v1/agent/health";

        assertThat(curl(url, "--cacert", pki.caCert().toString())).as("no client certificate").isNotEqualTo("200");
        assertThat(curl(url, "--cacert", pki.caCert().toString(), "--cert", stranger.toString(), "--key",
                TestPki.keyOf(stranger).toString())).as("signed by another CA").isNotEqualTo("200");
        assertThat(curl(url, "--cacert", pki.caCert().toString(), "--cert", client.toString(), "--key",
                TestPki.keyOf(client).toString())).isEqualTo("200");
    }

    @Test
    void aReplacedCertificateIsServedWithoutARestart() throws Exception {
        TestPki first = TestPki.ca(dir, "first");
        TestPki second = TestPki.ca(dir, "second");
        Path firstCert = first.leaf("server-first", "serverAuth");
        Path secondCert = second.leaf("server-second", "serverAuth");
        Path cert = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        Files.copy(firstCert, cert);
        Files.copy(TestPki.keyOf(firstCert), key);
        int port = start(Map.of(TaskApiConfig.OPERATOR_TLS_CERT_FILE, cert.toString(),
                TaskApiConfig.OPERATOR_TLS_KEY_FILE, key.toString()));
        String url = "https://127.0.0.1:" + port + "/v1/agent/health";
        assertThat(curl(url, "--cacert", first.caCert().toString())).isEqualTo("200");
        assertThat(curl(url, "--cacert", second.caCert().toString())).isNotEqualTo("200");

        // the key first: for a moment the pair does not match, and the old certificate stays in use
        replace(TestPki.keyOf(secondCert), key);
        replace(secondCert, cert);

        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(curl(url, "--cacert", second.caCert().toString())).isEqualTo("200"));
        assertThat(curl(url, "--cacert", first.caCert().toString())).isNotEqualTo("200");
    }

    @Test
    void missingAndUnreadableFilesAreReportedTogetherAtStart() throws IOException {
        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "hello\n", StandardCharsets.US_ASCII);
        Map<String, String> settings = Map.of(TaskApiConfig.OPERATOR_ADDRESS, "127.0.0.1:0",
                TaskApiConfig.OPERATOR_TLS_CERT_FILE, dir.resolve("missing.crt").toString(),
                TaskApiConfig.OPERATOR_TLS_KEY_FILE, notPem.toString(),
                TaskApiConfig.OPERATOR_TLS_VERIFY_CLIENT, "true",
                TaskApiConfig.HTTP_MAX_THREADS, "many");

        assertThatThrownBy(() -> TaskApiConfig.fromMap(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 problems")
                .hasMessageContaining(TaskApiConfig.OPERATOR_TLS_CERT_FILE + ": ")
                .hasMessageContaining("missing.crt does not exist")
                .hasMessageContaining(TaskApiConfig.OPERATOR_TLS_KEY_FILE + ": ")
                .hasMessageContaining("holds no unencrypted PEM private key")
                .hasMessageContaining(TaskApiConfig.OPERATOR_TLS_VERIFY_CLIENT + " needs "
                        + TaskApiConfig.OPERATOR_TLS_CA_FILE)
                .hasMessageContaining(TaskApiConfig.HTTP_MAX_THREADS)
                .hasMessageNotContaining("hello");
    }

    private int start(Map<String, String> tls) throws Exception {
        Map<String, String> settings = new HashMap<>(tls);
        settings.put(TaskApiConfig.OPERATOR_ADDRESS, "127.0.0.1:0");
        AgentState agent = TestingAgentState.create().agentState();
        TaskApiConfig config = TaskApiConfig.fromMap(settings);
        StateStores stores = StateStores.open(agent, new EmbeddedState(Optional.empty(), Clock.systemUTC()));
        Injector injector = Guice.createInjector(
                new TaskApiModule(config, agent, stores, Clock.systemUTC(), List.of(), lifecycle));
        Server server = injector.getInstance(Server.class);
        server.start();
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private static void replace(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the HTTP status curl saw, or {@code curl exit N} when it got none */
    private static String curl(String url, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "--max-time", "10", "-w",
                "%{http_code}"));
        command.addAll(List.of(options));
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 ? output : "curl exit " + process.exitValue() + " " + output;
    }
}
