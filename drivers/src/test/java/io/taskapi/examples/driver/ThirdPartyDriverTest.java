package io.taskapi.examples.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.examples.driver.docker.DockerDriver;
import io.taskapi.examples.driver.exec.ExecDriver;
import io.taskapi.examples.driver.java.JavaDriver;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPI proven from outside: a driver compiled at test time against {@code taskapi-driver-spi} alone, shipped in
 * its own jar with its {@code META-INF/services} file, found at run time with {@link ServiceLoader}, and run against
 * the real plugin. Its task calls its socket with its workload identity and ends with the HTTP status as exit code.
 */
final class ThirdPartyDriverTest {
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().build();

    private static final String SERVICE_FILE = "META-INF/services/" + TaskDriver.class.getName();

    /** A third party's driver: only SPI types and the JDK. The "task" is a thread that calls the socket. */
    private static final String THIRD_PARTY_DRIVER = """
            package com.example.taskapi;

            import io.taskapi.spi.driver.FilesystemIsolation;
            import io.taskapi.spi.driver.RunningTask;
            import io.taskapi.spi.driver.SocketMount;
            import io.taskapi.spi.driver.SocketNeeds;
            import io.taskapi.spi.driver.TaskDriver;
            import io.taskapi.spi.driver.TaskDriverException;
            import io.taskapi.spi.driver.TaskExit;
            import io.taskapi.spi.driver.TaskLaunch;
            import java.io.ByteArrayOutputStream;
            import java.net.UnixDomainSocketAddress;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.Map;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CompletionStage;

            public final class HealthDriver implements TaskDriver {
                @Override public String name() { return "health"; }

                @Override public FilesystemIsolation isolation() { return FilesystemIsolation.NONE; }

                @Override public RunningTask start(TaskLaunch launch) throws TaskDriverException {
                    SocketMount mount = launch.apiSocket(SocketNeeds.of(isolation()));
                    Map<String, String> env = launch.environmentWith(mount);
                    CompletableFuture<TaskExit> exit = CompletableFuture.supplyAsync(() -> {
                        try {
                            return TaskExit.exited(health(env));
                        } catch (Exception e) {
                            return TaskExit.exited(1);
                        }
                    });
                    return new RunningTask() {
                        @Override public String id() { return "health-" + launch.task().allocationId(); }
                        @Override public CompletionStage<TaskExit> exit() { return exit; }
                        @Override public void stop(Duration grace) { exit.join(); }
                    };
                }

                static int health(Map<String, String> env) throws Exception {
                    Path socket = Path.of(env.get("NOMAD_UNIX_ADDR").substring("unix://".length()));
                    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                        String request = "GET /v1/agent/health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n"
                                + "Authorization: Bearer " + env.get("NOMAD_TOKEN") + "\\r\\n\\r\\n";
                        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                        ByteArrayOutputStream response = new ByteArrayOutputStream();
                        ByteBuffer buffer = ByteBuffer.allocate(4096);
                        while (channel.read(buffer.clear()) >= 0) {
                            response.write(buffer.array(), 0, buffer.position());
                        }
                        return Integer.parseInt(response.toString(StandardCharsets.US_ASCII).split(" ", 3)[1]);
                    }
                }
            }
            """;

    /** Another jar's driver that takes a name already in use. */
    private static final String CLASHING_DRIVER = """
            package com.example.clash;

            import io.taskapi.spi.driver.RunningTask;
            import io.taskapi.spi.driver.TaskDriver;
            import io.taskapi.spi.driver.TaskDriverException;
            import io.taskapi.spi.driver.TaskLaunch;
            import io.taskapi.spi.driver.FilesystemIsolation;

            public final class OtherExec implements TaskDriver {
                @Override public String name() { return "exec"; }
                @Override public FilesystemIsolation isolation() { return FilesystemIsolation.NONE; }
                @Override public RunningTask start(TaskLaunch launch) throws TaskDriverException {
                    throw new TaskDriverException("not a real driver");
                }
            }
            """;

    @TempDir
    static Path build;

    private static Path pluginsDir;
    private static Path clashingDir;

    @BeforeAll
    static void buildTheThirdPartyJars() throws IOException {
        // Against the SPI alone: the only class path entry is where TaskDriver comes from.
        List<Path> spiOnly = List.of(Compiler.locationOf(TaskDriver.class));
        Compiler.compile(Map.of("com/example/taskapi/HealthDriver.java", THIRD_PARTY_DRIVER),
                build.resolve("health-classes"), spiOnly);
        pluginsDir = Files.createDirectories(build.resolve("plugins"));
        Compiler.jar(pluginsDir.resolve("health-driver.jar"), build.resolve("health-classes"),
                Map.of(SERVICE_FILE, "com.example.taskapi.HealthDriver\n"), null);

        Compiler.compile(Map.of("com/example/clash/OtherExec.java", CLASHING_DRIVER), build.resolve("clash-classes"),
                spiOnly);
        clashingDir = Files.createDirectories(build.resolve("clashing-plugins"));
        Compiler.jar(clashingDir.resolve("other-exec.jar"), build.resolve("clash-classes"),
                Map.of(SERVICE_FILE, "com.example.clash.OtherExec\n"), null);
    }

    @Test
    void aDriverFromItsOwnJarIsFoundWithServiceLoaderAndItsTaskGets200WithItsIdentity() throws Exception {
        assertThatThrownBy(() -> Class.forName("com.example.taskapi.HealthDriver"))
                .as("not on the test class path").isInstanceOf(ClassNotFoundException.class);
        URL jar = pluginsDir.resolve("health-driver.jar").toUri().toURL();
        // Parent: the test's loader, so that TaskDriver, TaskLaunch... are the same classes on both sides.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, getClass().getClassLoader())) {
            TaskDriver driver = ServiceLoader.load(TaskDriver.class, loader).stream().map(ServiceLoader.Provider::get)
                    .filter(d -> d.name().equals("health")).findFirst().orElseThrow();
            assertThat(driver.getClass().getClassLoader()).isSameAs(loader);

            TestTask task = API.newTask("third-party");
            RunningTask running = driver.start(Tasks.launch(task, Map.of(), Map.of("NOMAD_TOKEN", task.identity()),
                    Optional.empty()));
            TaskExit exit = Tasks.awaitExit(running);

            assertThat(exit).as("the HTTP status the task got, as its exit code").isEqualTo(TaskExit.exited(200));
            System.out.println("[third-party task] status " + exit.exitCode());
        }
    }

    @Test
    void driverLoaderFindsTheClassPathDriversAndThoseInAPluginsDirectory() throws Exception {
        Map<String, TaskDriver> drivers = DriverLoader.load(pluginsDir);

        assertThat(drivers.keySet()).containsExactly("docker", "exec", "health", "java");
        assertThat(drivers.get("exec")).isInstanceOf(ExecDriver.class);
        assertThat(drivers.get("java")).isInstanceOf(JavaDriver.class);
        assertThat(drivers.get("docker")).isInstanceOf(DockerDriver.class);
        assertThat(drivers.get("health").getClass().getName()).isEqualTo("com.example.taskapi.HealthDriver");

        TestTask task = API.newTask("via-loader");
        TaskExit exit = Tasks.awaitExit(drivers.get("health").start(Tasks.launch(task, Map.of(),
                Map.of("NOMAD_TOKEN", task.identity()), Optional.empty())));
        assertThat(exit.exitCode()).isEqualTo(200);
    }

    @Test
    void driverLoaderWithoutAPluginsDirectoryFindsTheClassPathDrivers() throws Exception {
        assertThat(DriverLoader.load(build.resolve("no-such-dir")).keySet()).containsExactly("docker", "exec",
                "java");
        assertThat(DriverLoader.load().keySet()).containsExactly("docker", "exec", "java");
    }

    @Test
    void twoDriversWithTheSameNameAreAnError() {
        assertThatThrownBy(() -> DriverLoader.load(clashingDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two task drivers are named 'exec'")
                .hasMessageContaining(ExecDriver.class.getName()).hasMessageContaining("com.example.clash.OtherExec")
                .hasMessageContaining("other-exec.jar");
    }
}
