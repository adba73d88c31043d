package io.taskapi.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.TaskApiProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it from an agent" snippet compiles against the SPI jar alone: it is what an agent author
 * copies first, so it must not rot when the SPI changes.
 */
final class ReadmeAgentSnippetTest {
    private static final Path README = Path.of("../README.md");
    private static final String SECTION = "## Use it from an agent";

    @TempDir
    Path tmp;

    @Test
    void theAgentSnippetCompilesAgainstTheSpi() throws IOException, URISyntaxException {
        String snippet = javaBlockAfter(Files.readString(README, StandardCharsets.UTF_8), SECTION);
        String source = """
                import io.taskapi.spi.*;
                import io.taskapi.spi.driver.*;
                import io.taskapi.spi.state.*;
                import java.nio.file.Path;
                import java.util.*;

                final class ReadmeAgent {
                    static void agent(AllocationRegistry allocations, NodeRegistry nodes, IdentityKeyStore identityKeys,
                                      AclTokenStore aclTokens, String allocId, String namespace, String jobId,
                                      String group, String taskName, Path taskDir, Path secretsDir,
                                      Map<String, Object> config, Map<String, String> environment, TaskDriver driver)
                            throws Exception {
                """ + snippet + """
                    }
                }
                """;
        Path file = Files.writeString(tmp.resolve("ReadmeAgent.java"), source);
        Path spi = Path.of(TaskApiProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK (not a JRE) runs the tests").isNotNull();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "17", "-proc:none", "-cp", spi.toString(), "-d", tmp.resolve("classes").toString()),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file))
                .call();

        assertThat(compiled).as("the README snippet, compiled as\n%s\n%s", source, diagnostics).isTrue();
    }

    private static String javaBlockAfter(String markdown, String heading) {
        int section = markdown.indexOf(heading + "\n");
        assertThat(section).as("README.md has a section '%s'", heading).isNotNegative();
        int start = markdown.indexOf("```java\n", section);
        int end = markdown.indexOf("\n```", start);
        assertThat(start).as("a java block in '%s'", heading).isPositive();
        return markdown.substring(start + "```java\n".length(), end + 1);
    }
}
