package io.taskapi.testing.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A real etcd cluster of {@code size} members, started by the test with the {@code etcd} binary on free loopback
 * ports (client and peer), each with a private data directory under one temporary directory. {@link #close()} kills
 * every member and deletes the directory. Members can be killed ({@code SIGKILL}), stopped ({@code SIGTERM}) and
 * started again with their data; {@link #leader()} asks the members which of them leads.
 *
 * <p>Start it once per test class (a start takes about a second). When {@code etcd} is not installed the test is
 * skipped, unless it runs as root: CI runs as root and installs etcd ({@code .ci/install-test-deps}), so a missing
 * binary there is a failure, not a skip.
 */
public final class EtcdCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final List<Member> members;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EtcdCluster(Path directory, List<Member> members) {
        this.directory = directory;
        this.members = members;
    }

    /**
     * Starts a cluster and waits until every member is healthy.
     *
     * @param size how many members (3 for a cluster that survives one failure)
     * @return the running cluster
     * @throws IOException when it cannot start; whatever started is stopped
     */
    public static EtcdCluster start(int size) throws IOException {
        return start(size, null);
    }

    /**
     * The members' certificate, key and the CA whose clients they accept: the members then serve their clients over
     * TLS only ({@code https}) and require a client certificate signed by that CA. Members talk to each other in
     * plain text (loopback), and {@code /health} is served in plain text on a metrics port.
     *
     * @param caCert the CA's certificate (PEM)
     * @param serverCert the members' certificate, for 127.0.0.1 (PEM)
     * @param serverKey its key (PEM)
     */
    public record Tls(Path caCert, Path serverCert, Path serverKey) {}

    /**
     * Starts a cluster whose members serve their clients over TLS and require client certificates.
     *
     * @param size how many members
     * @param tls the members' certificate and the clients' CA, or {@code null} for plain text
     * @return the running cluster
     * @throws IOException when it cannot start; whatever started is stopped
     */
    public static EtcdCluster start(int size, Tls tls) throws IOException {
        Optional<Path> etcd = binary();
        if (etcd.isEmpty()) {
            assumeTrue(isRoot(), "etcd is not installed (run .ci/install-test-deps as root)");
            throw new IllegalStateException("etcd is not installed: run .ci/install-test-deps");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(etcd.get(), size, tls);
            } catch (IllegalStateException e) {
                // A port chosen free here can be taken by another process before etcd binds it: choose again.
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static EtcdCluster startOnce(Path etcd, int size, Tls tls) throws IOException {
        Path directory = Files.createTempDirectory("taskapi-etcd-");
        List<Member> members = new ArrayList<>();
        int[] ports = freePorts(3 * size);
        for (int i = 0; i < size; i++) {
            members.add(new Member(etcd, "m" + i, directory.resolve("m" + i), ports[3 * i], ports[3 * i + 1],
                    ports[3 * i + 2], tls));
        }
        String initialCluster = members.stream().map(member -> member.name + "=" + member.peerUrl())
                .collect(Collectors.joining(","));
        String token = "taskapi-test-" + UUID.randomUUID();
        EtcdCluster cluster = new EtcdCluster(directory, members);
        // A test JVM that dies without closing (a timeout, ^C) must not leave members running.
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::closeQuietly, "etcd-cluster-cleanup"));
        try {
            for (Member member : members) {
                member.configure(initialCluster, token);
                member.launch();
            }
            for (int i = 0; i < size; i++) {
                cluster.awaitHealthy(i);
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** @return the members' client URLs, in member order */
    public List<URI> endpoints() {
        return members.stream().map(member -> URI.create(member.clientUrl())).toList();
    }

    /** @return the members' client ports, in member order */
    public List<Integer> clientPorts() {
        return members.stream().map(member -> member.clientPort).toList();
    }

    /** @return how many members the cluster has */
    public int size() {
        return members.size();
    }

    /**
     * @param member a member index
     * @return whether its process runs
     */
    public boolean isRunning(int member) {
        Process process = members.get(member).process;
        return process != null && process.isAlive();
    }

    /**
     * Kills a member with {@code SIGKILL}, as a crash does, and waits until it is gone.
     *
     * @param member a member index
     */
    public void kill(int member) {
        members.get(member).kill(true);
    }

    /**
     * Stops a member with {@code SIGTERM} and waits until it is gone.
     *
     * @param member a member index
     */
    public void stop(int member) {
        members.get(member).kill(false);
    }

    /**
     * Starts a stopped or killed member again with its data (it rejoins the cluster). Does not wait for health: a
     * member alone without a quorum never becomes healthy; see {@link #awaitHealthy}.
     *
     * @param member a member index
     * @throws IOException when it cannot start
     */
    public void restart(int member) throws IOException {
        Member m = members.get(member);
        if (m.process != null && m.process.isAlive()) {
            throw new IllegalStateException(m.name + " is running");
        }
        m.launch();
    }

    /**
     * Waits until a member answers healthy: it runs, has a leader and can serve a quorum read.
     *
     * @param member a member index
     */
    public void awaitHealthy(int member) {
        Member m = members.get(member);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() - deadline < 0) {
            if (m.process == null || !m.process.isAlive()) {
                throw new IllegalStateException(m.name + " exited; its log:\n" + m.logTail());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(m.metricsUrl()
                        + "/health")).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && JSON.readTree(response.body()).path("health").asText()
                        .equals("true")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(50);
        }
        throw new IllegalStateException(m.name + " is not healthy after " + START_TIMEOUT + " (" + last
                + "); its log:\n" + m.logTail());
    }

    /**
     * Asks the running members which member leads (plain-text clusters only).
     *
     * @return the leader's index, or empty when no running member knows a leader
     */
    public OptionalInt leader() {
        List<String> ids = new ArrayList<>();
        String leaderId = null;
        for (Member member : members) {
            Optional<JsonNode> status = member.process != null && member.process.isAlive() ? status(member)
                    : Optional.empty();
            ids.add(status.map(s -> s.path("header").path("member_id").asText()).orElse(""));
            if (leaderId == null && status.isPresent() && !status.get().path("leader").asText().isEmpty()) {
                leaderId = status.get().path("leader").asText();
            }
        }
        String leader = leaderId;
        return IntStream.range(0, members.size()).filter(i -> ids.get(i).equals(leader)).findFirst();
    }

    /**
     * Waits until a running member knows a leader.
     *
     * @return the leader's index
     */
    public int awaitLeader() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            OptionalInt leader = leader();
            if (leader.isPresent()) {
                return leader.getAsInt();
            }
            sleep(50);
        }
        throw new IllegalStateException("no leader after " + START_TIMEOUT);
    }

    private Optional<JsonNode> status(Member member) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(member.clientUrl()
                    + "/v3/maintenance/status")).timeout(Duration.ofSeconds(2))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // at JVM exit: nothing more to do
        }
    }

    /** Kills every member and deletes every data directory. */
    @Override
    public void close() {
        for (Member member : members) {
            member.kill(true);
        }
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    @Override
    public String toString() {
        return "EtcdCluster" + endpoints();
    }

    private static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "etcd"))) {
                return Optional.of(Path.of(dir, "etcd"));
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Distinct free ports: every socket is held until all are chosen, so the kernel cannot hand one out twice. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One member: its process, ports and data directory. */
    private static final class Member {
        private final Path binary;
        private final String name;
        private final Path dataDir;
        private final int clientPort;
        private final int peerPort;
        private final int metricsPort;
        private final Tls tls;
        private final List<String> command = new ArrayList<>();
        private volatile Process process;

        Member(Path binary, String name, Path dataDir, int clientPort, int peerPort, int metricsPort, Tls tls) {
            this.binary = binary;
            this.name = name;
            this.dataDir = dataDir;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.metricsPort = metricsPort;
            this.tls = tls;
        }

        String clientUrl() {
            return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
        }

        String metricsUrl() {
            return "http://127.0.0.1:" + metricsPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }

        void configure(String initialCluster, String token) {
            // The defaults for timing (100 ms heartbeat, 1 s election timeout): the machine is shared and slow, and
            // shorter timeouts make leaders flap there.
            command.addAll(List.of(binary.toString(), "--name", name, "--data-dir", dataDir.toString(),
                    "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
                    "--listen-peer-urls", peerUrl(), "--initial-advertise-peer-urls", peerUrl(),
                    "--initial-cluster", initialCluster, "--initial-cluster-token", token,
                    "--initial-cluster-state", "new", "--logger", "zap", "--log-level", "warn",
                    "--enable-v2=false", "--listen-metrics-urls", metricsUrl()));
            if (tls != null) {
                command.addAll(List.of("--cert-file", tls.serverCert().toString(), "--key-file",
                        tls.serverKey().toString(), "--trusted-ca-file", tls.caCert().toString(),
                        "--client-cert-auth"));
            }
        }

        void launch() throws IOException {
            Files.createDirectories(dataDir.getParent());
            Path log = dataDir.getParent().resolve(name + ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }

        void kill(boolean hard) {
            Process running = process;
            if (running == null || !running.isAlive()) {
                return;
            }
            if (hard) {
                running.destroyForcibly();
            } else {
                running.destroy();
            }
            try {
                if (!running.waitFor(30, TimeUnit.SECONDS)) {
                    running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(dataDir.getParent().resolve(name + ".log"), UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
