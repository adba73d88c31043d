package io.taskapi.plugin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The plugin as a named module: an agent with the plugin and its libraries on the module path finds it with
 * ServiceLoader (through {@code provides}, not META-INF/services) and it serves requests, which takes Guice and Jackson
 * reflecting into its packages ({@code opens}) and the bexpr and HCL modules it requires. The other tests run on the
 * class path. {@code target/module-path.txt} is the plugin's runtime class path, written by the build.
 */
class ModulePathTest {
    private static final String JETTY_EXPORT =
            "org.eclipse.jetty.server/org.eclipse.jetty.server.internal=io.taskapi.plugin";

    @Test
    void anAgentFindsAndRunsThePluginOnTheModulePath() throws Exception {
        Result result = probe(List.of("--add-exports", JETTY_EXPORT));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("provider io.taskapi.plugin.TaskApiPlugin in module io.taskapi.plugin")
                .contains("vars 200")
                .contains("bad filter {\"errors\":[\"failed to read filter expression: 1:6 (5): no match found");
    }

    @Test
    void refusesToStartWithoutJettysInternalPackage() throws Exception {
        Result result = probe(List.of());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("the request head deadline needs Jetty's internal HttpConnection: run the "
                + "JVM with --add-exports " + JETTY_EXPORT);
    }

    private static Result probe(List<String> extraOptions) throws IOException, InterruptedException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        List<String> modulePath = new ArrayList<>(List.of(classes.toString()));
        modulePath.addAll(entries(Files.readString(Path.of("target", "module-path.txt"), UTF_8).strip()));
        Set<String> onModulePath = Set.copyOf(modulePath);
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classPath = entries(testClassPath).stream()
                .filter(entry -> !onModulePath.contains(entry) && !Path.of(entry).toAbsolutePath().equals(classes))
                .collect(Collectors.joining(File.pathSeparator));

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", String.join(File.pathSeparator, modulePath),
                // junixsocket's native library is a module nothing requires
                "--add-modules", "ALL-MODULE-PATH"));
        command.addAll(extraOptions);
        command.addAll(List.of("-cp", classPath, "io.taskapi.modulepath.ModulePathProbe"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // drain as it runs, or a full pipe stalls the probe
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not finish: " + new String(output, UTF_8));
        }
        return new Result(process.exitValue(), new String(output, UTF_8));
    }

    private static List<String> entries(String path) {
        return Arrays.stream(path.split(File.pathSeparator)).filter(entry -> !entry.isEmpty()).toList();
    }

    private record Result(int exitCode, String output) {}
}
