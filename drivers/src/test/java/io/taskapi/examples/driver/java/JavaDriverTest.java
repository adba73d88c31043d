package io.taskapi.examples.driver.java;

import static io.taskapi.examples.driver.Tasks.awaitExit;
import static io.taskapi.examples.driver.Tasks.launch;
import static io.taskapi.examples.driver.Tasks.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.examples.driver.Compiler;
import io.taskapi.examples.driver.DoomedAgent;
import io.taskapi.examples.driver.Tasks;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The java driver with real JVMs: a main class compiled at test time calls the task's socket with the JDK's own Unix
 * channel, the way a Java workload would, and prints the status it got.
 */
final class JavaDriverTest {
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().build();

    /** A workload: GET /v1/agent/health on $NOMAD_UNIX_ADDR with $NOMAD_TOKEN, print "status=N", the body, the user. */
    private static final String HEALTH_CHECK = """
            package demo;

            import java.io.ByteArrayOutputStream;
            import java.net.UnixDomainSocketAddress;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Path;

            public final class HealthCheck {
                public static void main(String[] args) throws Exception {
                    String address = System.getenv("NOMAD_UNIX_ADDR");        // unix:///.../secrets/api.sock
                    Path socket = Path.of(address.substring("unix://".length()));
                    String token = System.getenv("NOMAD_TOKEN");
                    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                        String request = "GET /v1/agent/health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n"
                                + (token == null ? "" : "Authorization: Bearer " + token + "\\r\\n") + "\\r\\n";
                        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                        ByteArrayOutputStream response = new ByteArrayOutputStream();
                        ByteBuffer buffer = ByteBuffer.allocate(4096);
                        while (channel.read(buffer.clear()) >= 0) {
                            response.write(buffer.array(), 0, buffer.position());
                        }
                        String text = response.toString(StandardCharsets.UTF_8);
                        System.out.println("status=" + text.split(" ", 3)[1]);
                        System.out.println(text.substring(text.indexOf("\\r\\n\\r\\n") + 4).strip());
                    }
                    System.out.println("user=" + System.getProperty("user.name") + " args=" + String.join(",", args));
                }
            }
            """;

    /** A workload that runs until it is stopped. */
    private static final String SLEEP = """
            package demo;

            public final class Sleep {
                public static void main(String[] args) throws Exception {
                    System.out.println("sleeping");
                    Thread.sleep(60_000);
                }
            }
            """;

    @TempDir
    static Path build;

    private static Path classes;
    private static Path jar;

    private final JavaDriver driver = new JavaDriver();

    @BeforeAll
    static void compileTheWorkload() throws IOException {
        classes = build.resolve("classes");
        Compiler.compile(Map.of("demo/HealthCheck.java", HEALTH_CHECK, "demo/Sleep.java", SLEEP), classes, List.of());
        jar = build.resolve("health.jar");
        Compiler.jar(jar, classes, Map.of(), "demo.HealthCheck");
    }

    @Test
    void aClassOnAClassPathCallsItsSocketWithItsWorkloadIdentity() throws Exception {
        TestTask task = API.newTask("java-class");
        copyInto(task, classes, "local/classes");

        TaskExit exit = awaitExit(driver.start(launch(task, Map.of("class", "demo.HealthCheck",
                "class_path", "local/classes", "jvm_options", List.of("-Xmx32m", "-Xshare:auto"),
                "args", List.of("a", "b")), Map.of("NOMAD_TOKEN", task.identity()), Optional.empty())));

        assertThat(exit).isEqualTo(TaskExit.exited(0));
        assertThat(stdout(task)).contains("status=200").contains("\"ok\":true").contains("args=a,b");
        System.out.println("[java class task log] " + stdout(task).strip().replace('\n', ' '));
    }

    @Test
    void aJarAsNobodyCallsItsSocketWithItsWorkloadIdentity() throws Exception {
        assumeTrue(Tasks.isRoot(), "needs root to give the socket to nobody and to become nobody");
        TestTask task = API.newTask("java-jar");
        copyInto(task, jar, "local/health.jar");

        TaskExit exit = awaitExit(driver.start(launch(task, Map.of("jar_path", "local/health.jar"),
                Map.of("NOMAD_TOKEN", task.identity()), Optional.of("nobody"))));

        assertThat(exit.exitCode()).isZero();
        assertThat(stdout(task)).contains("status=200").contains("user=nobody");
        System.out.println("[java jar task log, as nobody] " + stdout(task).strip().replace('\n', ' '));
    }

    @Test
    void aJavaTaskWithoutATokenGets401() throws Exception {
        TestTask task = API.newTask("java-anon");
        copyInto(task, jar, "local/health.jar");

        awaitExit(driver.start(launch(task, Map.of("jar_path", "local/health.jar"), Map.of(), Optional.empty())));

        assertThat(stdout(task)).contains("status=401");
    }

    @Test
    void stopEndsTheJvm() throws Exception {
        TestTask task = API.newTask("java-sleep");
        copyInto(task, classes, "local/classes");
        RunningTask running = driver.start(launch(task, Map.of("class", "demo.Sleep", "class_path", "local/classes"),
                Map.of(), Optional.empty()));
        Tasks.awaitStdout(task, "sleeping");

        running.stop(Duration.ofSeconds(10));

        // The JVM ends on SIGTERM by running its shutdown hooks, then exits with 128 + 15.
        assertThat(running.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(143));
        Tasks.assertSocketStaysUntilReleased(task);
    }

    @Test
    void aJvmOutlivesItsAgentAndIsRecoveredAndStoppedByANewOne() throws Exception {
        TestTask task = API.newTask("java-survivor");
        copyInto(task, classes, "local/classes");
        Map<String, Object> config = Map.of("class", "demo.Sleep", "class_path", "local/classes");
        TaskHandle handle = DoomedAgent.startThenDie("java", task, config, Optional.empty());
        Tasks.awaitStdout(task, "sleeping");
        long supervisor = Long.parseLong(handle.state().get("supervisor.pid"));
        List<SocketRequest> requests = new CopyOnWriteArrayList<>();

        RunningTask recovered = new JavaDriver().recover(Tasks.withSockets(launch(task, config, Map.of(),
                Optional.empty()), request -> {
                    requests.add(request);
                    return API.api().openSocket(request);
                }), handle);
        assertThat(requests).containsExactly(task.socketRequest(Optional.empty(), FilesystemIsolation.NONE));
        assertThat(recovered.exit().toCompletableFuture().isDone()).isFalse();

        recovered.stop(Duration.ofSeconds(10));

        assertThat(recovered.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(143));
        assertThat(Tasks.runningInSession(supervisor)).isEmpty();
    }

    @Test
    void configNeedsExactlyOneOfJarPathAndClass() {
        TestTask task = API.newTask("java-config");

        assertThatThrownBy(() -> driver.start(launch(task, Map.of(), Map.of(), Optional.empty())))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> driver.start(launch(task, Map.of("jar_path", "a.jar", "class", "A"), Map.of(),
                Optional.empty()))).isInstanceOf(TaskDriverException.class).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> driver.start(launch(task, Map.of("jar_path", "missing.jar"), Map.of(),
                Optional.empty()))).isInstanceOf(TaskDriverException.class).hasMessageContaining("is not a file");
        assertThatThrownBy(() -> driver.start(launch(task, Map.of("jar_path", "a.jar", "class_path", "x"), Map.of(),
                Optional.empty()))).isInstanceOf(TaskDriverException.class).hasMessageContaining("no effect");
        assertThatThrownBy(() -> new JavaDriver(Path.of("/no/such/jdk-" + UUID.randomUUID())).start(launch(task,
                Map.of("class", "A"), Map.of(), Optional.empty()))).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("no java executable");
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    /** Puts the workload in the task directory, readable by any task user (an artifact would land in local/). */
    private static void copyInto(TestTask task, Path source, String target) throws IOException {
        Path destination = task.taskDir().resolve(target);
        Files.createDirectories(destination.getParent());
        if (Files.isDirectory(source)) {
            try (var files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path copy = destination.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                }
            }
        } else {
            Files.copy(source, destination);
        }
    }
}
