package io.taskapi.plugin.e2e;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.plugin.execution.WorkerLanes;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.UnixHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attacks of a hostile task or local user, as real clients over real sockets: slow bodies, slow heads,
 * connection hoarding, failed-authentication floods. The assertion is always that the victims are answered, never
 * how fast.
 */
@Timeout(120)
// The trickles run until @AfterEach shuts their executor down; their futures carry no result to check.
@SuppressWarnings("FutureReturnValueIgnored")
final class TaskIsolationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String NODE_WRITE = "node { policy = \"write\" }";

    /** Slow clients that hold their connections open, closed after each test. */
    private final List<AutoCloseable> attackers = new ArrayList<>();
    private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopAttackers() throws Exception {
        trickle.shutdownNow();
        for (AutoCloseable attacker : attackers) {
            attacker.close();
        }
    }

    @Nested
    final class SlowBodies {
        private final OperatorListener operator = OperatorListener.onFreePort();

        // No body deadline and no minimum rate here: what is proven is that a slow body holds no thread at all.
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder()
                .config("http.operator-address", operator.address())
                .config("http.max-threads", "8")
                .config("http.min-body-rate", "0")
                .config("http.request-body-timeout", "10m")
                .build();

        @Test
        void fortyFiveSlowBodiesOnTheOperatorListenerAndOnATaskSocketHoldNoThread() throws Exception {
            String management = api.tokens().createManagementToken("admin").secretId();
            assertThat(operator.send("POST", "/v1/acl/policy/anonymous", management,
                    "{\"Rules\":\"" + NODE_WRITE.replace("\"", "\\\"") + "\"}").statusCode()).isEqualTo(200);
            api.policies().createJobPolicy("job-writes", NODE_WRITE, new JobAcl("default", "test-job", "", ""));
            TestTask attacker = api.newTask("attacker");
            attacker.openSocket();
            TestTask victim = api.newTask("victim");
            victim.openSocket();
            // The attacker's identity verified once first: what is proven here is that slow bodies hold no thread,
            // not the failed-authentication budget that 45 first verifications at once would spend on a loaded
            // machine (each is prepaid from it until it verifies).
            assertThat(attacker.client().get("/v1/agent/health").bearer(attacker.identity()).send().status())
                    .isEqualTo(200);

            for (int i = 0; i < 45; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", operator.port()));
                attackers.add(socket);
                slowBody(socket.getOutputStream(), "");
                SocketChannel channel = attacker.client().openChannel();
                attackers.add(channel);
                slowBody(Channels.newOutputStream(channel),
                        "Authorization: Bearer " + attacker.identity() + "\r\n");
            }
            trickleOneByteEverySecond();

            // The victims: another task (a workload identity never verified before: a worker must verify it), a
            // write with a body on that task's socket, and the operator.
            UnixHttpClient victimClient = victim.client().timeout(PATIENCE);
            HttpResponse health = victimClient.get("/v1/agent/health").bearer(victim.identity()).send();
            HttpResponse write = victimClient.request("POST", "/v1/client/metadata").bearer(victim.identity())
                    .json("{\"Meta\":{\"victim\":\"answered\"}}").send();
            var operatorHealth = operator.send("GET", "/v1/agent/health", management, null);
            // The attacker's own task still gets its answers too, on a fresh connection.
            HttpResponse own = attacker.client().timeout(PATIENCE).get("/v1/client/metadata")
                    .bearer(attacker.identity()).send();

            assertThat(health.status()).isEqualTo(200);
            assertThat(write.status()).as(write.body()).isEqualTo(200);
            assertThat(operatorHealth.statusCode()).isEqualTo(200);
            assertThat(own.status()).isEqualTo(200);
            // ...while every slow body is still being waited for, not refused.
            assertThat(attackers.stream().filter(TaskIsolationTest::stillWaiting).count()).isEqualTo(90);
        }

        @Test
        void bootstrapAnswersBeforeReadingAnyBody() throws Exception {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", operator.port()));
                socket.setSoTimeout((int) PATIENCE.toMillis());
                socket.getOutputStream().write(("POST /v1/acl/bootstrap HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 1000000\r\n\r\n").getBytes(US_ASCII));

                String head = readHead(socket.getInputStream());

                assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close");
            }
        }
    }

    @Nested
    final class BodyDeadlines {
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder()
                .config("http.request-body-timeout", "2s")
                .config("socket.max-in-flight", "1")
                .build();

        @Test
        void aTrickledMegabyteIsCutOffByTheDeadlineAndTheSocketsWorkerIsFreeAgain() throws Exception {
            api.policies().createJobPolicy("job-writes", NODE_WRITE, new JobAcl("default", "test-job", "", ""));
            TestTask task = api.newTask("slow");
            task.openSocket();
            try (SocketChannel channel = task.client().openChannel()) {
                // Fast enough for the minimum rate (1 KiB/s), far too slow for a megabyte in 2 s.
                channel.write(ByteBuffer.wrap(("POST /v1/client/metadata HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + task.identity() + "\r\nContent-Length: 1000000\r\n\r\n").getBytes(US_ASCII)));
                trickle.scheduleAtFixedRate(() -> send(channel, 512), 0, 250, TimeUnit.MILLISECONDS);

                String answer = readAll(channel);

                assertThat(answer).startsWith("HTTP/1.1 408").containsIgnoringCase("Connection: close")
                        .contains("{\"errors\":[\"Request body did not arrive within 2000 ms\"]}");
            }
            HttpResponse next = task.client().timeout(PATIENCE).request("POST", "/v1/client/metadata")
                    .bearer(task.identity()).json("{\"Meta\":{\"after\":\"deadline\"}}").send();
            assertThat(next.status()).as(next.body()).isEqualTo(200);
        }

        @Test
        void aBodyBelowTheMinimumRateIsCutOffBeforeTheDeadline() throws Exception {
            api.policies().createJobPolicy("job-writes", NODE_WRITE, new JobAcl("default", "test-job", "", ""));
            TestTask task = api.newTask("trickler");
            task.openSocket();
            try (SocketChannel channel = task.client().openChannel()) {
                channel.write(ByteBuffer.wrap(("POST /v1/client/metadata HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + task.identity() + "\r\nContent-Length: 1000\r\n\r\n{").getBytes(US_ASCII)));
                trickle.scheduleAtFixedRate(() -> send(channel, 1), 100, 100, TimeUnit.MILLISECONDS);

                String answer = readAll(channel);

                assertThat(answer).startsWith("HTTP/1.1 408").contains("slower than 1024 bytes a second");
            }
        }
    }

    @Nested
    final class Heads {
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder().config("http.request-head-timeout", "1s").build();

        @Test
        void aHeadTrickledAByteAtATimeIsClosedAtTheDeadlineAnIdleConnectionIsNot() throws Exception {
            TestTask task = api.newTask("heads");
            task.openSocket();
            try (SocketChannel idle = task.client().openChannel();
                 SocketChannel trickled = task.client().openChannel()) {
                byte[] head = ("GET /v1/agent/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + task.identity() + "\r\n").getBytes(US_ASCII);
                int[] next = {0};
                trickle.scheduleAtFixedRate(() -> {
                    if (next[0] < head.length) {
                        write(trickled, new byte[] {head[next[0]++]});
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);

                assertThat(readAll(trickled)).as("the server closed the trickling connection").isEmpty();
                assertThat(next[0]).as("bytes sent before the close").isLessThan(head.length);
                idle.write(ByteBuffer.wrap(("GET /v1/agent/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "Authorization: Bearer " + task.identity() + "\r\n\r\n").getBytes(US_ASCII)));
                assertThat(readAll(idle)).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Nested
    final class BlankLines {
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder().config("http.request-head-timeout", "1s").build();

        @Test
        void blankLinesBeforeARequestLineDoNotKeepAConnectionPastTheHeadDeadline() throws Exception {
            TestTask task = api.newTask("blank-lines");
            task.openSocket();
            try (SocketChannel channel = task.client().openChannel()) {
                // Jetty skips blank lines before a request line without leaving START; each resets the idle timeout.
                trickle.scheduleAtFixedRate(() -> write(channel, "\r\n".getBytes(US_ASCII)), 0, 200,
                        TimeUnit.MILLISECONDS);

                assertThat(readAll(channel)).as("the server closed the connection").isEmpty();
            }
        }
    }

    @Nested
    final class Connections {
        private final OperatorListener operator = OperatorListener.onFreePort();

        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder()
                .config("http.operator-address", operator.address())
                .config("http.operator-max-connections", "4")
                .build();

        @Test
        void seventyConnectionsFromAnotherUserOnAWorldAccessibleSocketLeaveTheTasksOwnConnectionWorking()
                throws Exception {
            assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as another user");
            TestTask task = api.newTask("shared");
            task.openSocket(); // no task user: mode 0666, as Nomad makes every socket
            try (UnixHttpClient.Connection own = task.client().connection()) {
                assertThat(own.get("/v1/agent/health").bearer(task.identity()).send().status()).isEqualTo(200);

                Process hoarder = hoard(task, 70);
                String counts = new BufferedReader(new InputStreamReader(hoarder.getInputStream(), US_ASCII))
                        .readLine();

                assertThat(counts).as("what the hoarder saw").isEqualTo("held=63 refused=7");
                assertThat(own.get("/v1/agent/health").bearer(task.identity()).send().status()).isEqualTo(200);
                assertThat(own.get("/v1/acl/token/self").bearer(task.identity()).send().status()).isEqualTo(200);
            }
        }

        @Test
        void theOperatorListenerClosesConnectionsBeyondItsLimitAndKeepsTheFirst() throws Exception {
            String management = api.tokens().createManagementToken("admin").secretId();
            List<Socket> first = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket("127.0.0.1", operator.port());
                attackers.add(socket);
                first.add(socket);
            }
            // Jetty opens connections asynchronously: a request on each proves all four are counted.
            for (Socket socket : first) {
                assertThat(keepAliveHealth(socket, management)).startsWith("HTTP/1.1 200");
            }
            try (Socket fifth = new Socket("127.0.0.1", operator.port())) {
                fifth.setSoTimeout((int) PATIENCE.toMillis());
                assertThat(fifth.getInputStream().read()).as("closed at once").isEqualTo(-1);
            }
            assertThat(keepAliveHealth(first.get(0), management)).startsWith("HTTP/1.1 200");
        }
    }

    @Nested
    final class FailedAuthentication {
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder()
                .config("socket.unauthenticated-rate-limit", "1")
                .config("socket.unauthenticated-rate-burst", "5")
                .build();

        @Test
        void aFloodOfRefusedCallersSpendsItsOwnBucketNotTheTasks() throws Exception {
            TestTask task = api.newTask("flooded");
            task.openSocket();
            String identity = task.identity();
            assertThat(task.client().get("/v1/agent/health").bearer(identity).send().status()).isEqualTo(200);

            List<Integer> refusals = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                refusals.add(task.client().get("/v1/agent/health").send().status());
            }

            assertThat(refusals.subList(0, 5)).containsOnly(401);
            assertThat(refusals).contains(429);
            // Forged credentials are refused unverified once the budget is gone...
            assertThat(task.client().get("/v1/agent/health").bearer(identity + "x").send().status()).isEqualTo(429);
            // ...and the task's own, already verified, identity is untouched.
            assertThat(task.client().get("/v1/agent/health").bearer(identity).send().status()).isEqualTo(200);
        }
    }

    @Nested
    final class WhereRequestsRun {
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder().build();

        @Test
        void storeCallsRunOnWorkersAndAWarmMetadataReadRunsOnTheIoThread() throws Exception {
            api.policies().createJobPolicy("job-writes", NODE_WRITE + "\nnamespace \"default\" { variables {"
                    + " path \"*\" { capabilities = [\"write\", \"read\", \"list\"] } } }",
                    new JobAcl("default", "test-job", "", ""));
            String management = api.tokens().createManagementToken("admin").secretId();
            TestTask task = api.newTask("threads");
            task.openSocket();
            UnixHttpClient client = task.client();
            String identity = task.identity();

            List<Integer> statuses = new ArrayList<>();
            statuses.add(client.get("/v1/client/metadata").bearer(identity).send().status());
            statuses.add(client.request("POST", "/v1/client/metadata").bearer(identity)
                    .json("{\"Meta\":{\"k\":\"v\"}}").send().status());
            statuses.add(client.request("PUT", "/v1/var/nomad/jobs/test-job").bearer(identity)
                    .json("{\"Items\":{\"a\":\"b\"}}").send().status());
            statuses.add(client.get("/v1/var/nomad/jobs/test-job").bearer(identity).send().status());
            statuses.add(client.get("/v1/acl/tokens").token(management).send().status());
            statuses.add(client.get("/v1/acl/policies").token(management).send().status());
            statuses.add(client.get("/v1/client/metadata").bearer(identity).send().status());

            assertThat(statuses).containsOnly(200);
            for (Set<String> callers : List.of(api.tokens().faults().callerThreads(),
                    api.policies().faults().callerThreads(), api.nodeMetadata().faults().callerThreads(),
                    api.variables().faults().callerThreads())) {
                assertThat(callers).as("threads that called a store").noneMatch(name -> name.startsWith("taskapi-http"))
                        .anyMatch(name -> name.startsWith(WorkerLanes.THREAD_NAME_PREFIX));
            }
            assertThat(api.nodes().faults().callerThreads())
                    .as("the warm read asked the node registry on an I/O thread")
                    .anyMatch(name -> name.startsWith("taskapi-http"));
        }
    }

    // ---- attackers and raw clients

    private Process hoard(TestTask task, int connections) throws IOException {
        // The hoarder's class file alone, somewhere another user can read it.
        Path dir = Files.createTempDirectory("hoarder", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path classFile = dir.resolve("io/taskapi/plugin/e2e/ConnectionHoarder.class");
        Files.createDirectories(classFile.getParent());
        try (InputStream in = ConnectionHoarder.class.getResourceAsStream("ConnectionHoarder.class")) {
            Files.write(classFile, in.readAllBytes());
        }
        for (Path path : List.of(dir.resolve("io"), dir.resolve("io/taskapi"), dir.resolve("io/taskapi/plugin"),
                classFile.getParent())) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(classFile, PosixFilePermissions.fromString("rw-r--r--"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder("setpriv", "--reuid=65533", "--regid=65533", "--clear-groups", java,
                "-XX:-UsePerfData", "-cp", dir.toString(), ConnectionHoarder.class.getName(),
                task.socketPath().getFileName().toString(), Integer.toString(connections))
                .directory(task.socketPath().getParent().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        attackers.add(() -> {
            process.getOutputStream().close();
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        });
        return process;
    }

    /** A request head that promises a megabyte, and the body's first byte. */
    private static void slowBody(OutputStream out, String credentialHeader) throws IOException {
        out.write(("POST /v1/client/metadata HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + credentialHeader + "Content-Length: 1000000\r\n\r\n{").getBytes(US_ASCII));
        out.flush();
    }

    private void trickleOneByteEverySecond() {
        trickle.scheduleAtFixedRate(() -> {
            for (AutoCloseable attacker : attackers) {
                try {
                    if (attacker instanceof Socket socket) {
                        socket.getOutputStream().write(' ');
                    } else if (attacker instanceof SocketChannel channel) {
                        channel.write(ByteBuffer.wrap(new byte[] {' '}));
                    }
                } catch (IOException e) {
                    // a closed attacker stays closed; stillWaiting() tells
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Whether the server is still waiting on this slow client: connected, and nothing answered yet. */
    private static boolean stillWaiting(AutoCloseable attacker) {
        try {
            if (attacker instanceof Socket socket) {
                socket.setSoTimeout(50);
                try {
                    socket.getInputStream().read();
                    return false; // answered, or closed
                } catch (java.net.SocketTimeoutException e) {
                    return true;
                }
            }
            SocketChannel channel = (SocketChannel) attacker;
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) == 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String keepAliveHealth(Socket socket, String token) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.getOutputStream().write(("GET /v1/agent/health HTTP/1.1\r\nHost: x\r\nX-Nomad-Token: " + token
                + "\r\n\r\n").getBytes(US_ASCII));
        String head = readHead(socket.getInputStream());
        int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        socket.getInputStream().readNBytes(length);
        return head;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Everything the server sends until it closes the connection (blocking, bounded by the test's timeout). */
    private static String readAll(SocketChannel channel) throws IOException {
        return new String(Channels.newInputStream(channel).readAllBytes(), US_ASCII);
    }

    private static void send(SocketChannel channel, int bytes) {
        write(channel, " ".repeat(bytes).getBytes(US_ASCII));
    }

    private static void write(SocketChannel channel, byte[] bytes) {
        try {
            channel.write(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            // closed by the server: the test reads what it said
        }
    }
}
