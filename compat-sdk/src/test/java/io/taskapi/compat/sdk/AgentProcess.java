package io.taskapi.compat.sdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** {@code taskapi agent -dev -acl-enabled} run as its own process, as an operator runs it. */
final class AgentProcess {
    private final Process process;
    private final String address;

    private AgentProcess(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    /**
     * Starts the agent on a free loopback port and waits until {@code /v1/agent/health} answers 200.
     *
     * @param dataDir its data directory; its output goes to a log file beside it
     * @return the running agent
     * @throws IOException when it cannot be started
     */
    static AgentProcess startDev(Path dataDir) throws IOException {
        int port = freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                agentJar(), "io.taskapi.examples.cli.Main", "agent", "-dev", "-acl-enabled",
                "-bind", "127.0.0.1", "-port", Integer.toString(port), "-data-dir", dataDir.toString());
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        AgentProcess agent = new AgentProcess(process, "http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(agent.address + "/v1/agent/health"))
                .timeout(Duration.ofSeconds(10)).build();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the agent process ended (its log: " + log + ")");
                    }
                    return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        return agent;
    }

    /** @return its address, {@code http://127.0.0.1:PORT} */
    String address() {
        return address;
    }

    /** SIGTERM, then SIGKILL if it does not end within 30 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * The examples jar alone (its manifest lists its lib/ jars), not this JVM's classpath: the SDK needs an older
     * Jackson than the agent runs on.
     */
    private static String agentJar() throws IOException {
        Path jar = Path.of(System.getProperty("taskapi.examples.jar", "../examples/target/taskapi-examples.jar"));
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new IOException("no examples jar at " + jar + ": build with -am up to verify (package)");
        }
        return jar.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
