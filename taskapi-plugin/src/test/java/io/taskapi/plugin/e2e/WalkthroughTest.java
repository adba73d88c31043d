package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.driver.SocketMount;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/walkthrough.md runs as written: every {@code sh} block is run with bash inside a task's environment
 * ({@code NOMAD_SECRETS_DIR}, {@code NOMAD_TOKEN}) and its output must match the {@code output} block after it, where
 * {@code …} stands for anything on that line (ids, times).
 */
final class WalkthroughTest {
    private static final Path WALKTHROUGH = Path.of("..", "docs", "walkthrough.md");
    private static final Pattern EXAMPLE = Pattern.compile("```sh\\n(.*?)```\\s*```output\\n(.*?)```", Pattern.DOTALL);

    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().build();

    private static SocketMount mount;
    private static String token;

    @BeforeAll
    static void openTheTasksSocket() throws Exception {
        TestTask task = API.newTask("walkthrough");
        mount = task.openSocket();
        // The walkthrough's token may write node metadata and secrets: a management token keeps it short.
        token = API.tokens().createManagementToken("walkthrough").secretId();
    }

    static Stream<Arguments> examples() throws IOException {
        String doc = Files.readString(WALKTHROUGH);
        List<Arguments> examples = new ArrayList<>();
        Matcher matcher = EXAMPLE.matcher(doc);
        while (matcher.find()) {
            examples.add(Arguments.of(examples.size() + 1, matcher.group(1), matcher.group(2)));
        }
        assertThat(examples).as("examples in docs/walkthrough.md").hasSizeGreaterThan(10);
        return examples.stream();
    }

    @ParameterizedTest(name = "example {0}")
    @MethodSource("examples")
    void runsAsWritten(int number, String script, String expected) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        builder.environment().put("NOMAD_SECRETS_DIR", mount.hostPath().getParent().toString());
        builder.environment().put("NOMAD_TOKEN", token);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> want = expected.strip().lines().toList();
        List<String> got = output.strip().lines().toList();
        assertThat(got).as("output of example %d:%n%s", number, output).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i)).as("line %d of example %d", i + 1, number).matches(wildcard(want.get(i)));
        }
    }

    private static String wildcard(String line) {
        return String.join(".*", Stream.of(line.split("…", -1)).map(Pattern::quote).toList());
    }
}
