package io.taskapi.spi.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compatibility check itself, on small APIs compiled here: the same comparison and the same accepted-changes rules
 * that {@link SpiBackwardCompatibilityTest} applies to the SPI.
 */
final class SpiCompatibilityTest {
    private static final String DRIVER = """
            package p;
            public interface Driver {
                void start(String task);
                void stop(String task);
            }
            """;

    @TempDir
    Path dir;

    @Test
    void removedMethodFails() throws IOException {
        List<String> changes = compare(DRIVER, """
                package p;
                public interface Driver {
                    void start(String task);
                }
                """);

        assertThat(changes).containsExactly("p.Driver#stop(java.lang.String): METHOD_REMOVED");
        assertThat(AcceptedChanges.parse("").problems(changes))
                .containsExactly("incompatible, not accepted: p.Driver#stop(java.lang.String): METHOD_REMOVED");
    }

    @Test
    void addedDefaultMethodPasses() throws IOException {
        List<String> changes = compare(DRIVER, """
                package p;
                public interface Driver {
                    void start(String task);
                    void stop(String task);
                    default void pause(String task) {}
                }
                """);

        assertThat(changes).isEmpty();
        assertThat(AcceptedChanges.parse("").problems(changes)).isEmpty();
    }

    @Test
    void addedMethodsOnAFinalClassPass() throws IOException {
        assertThat(compare("""
                package p;
                public final class Launch {
                    private Launch() {}
                    public static Launch of() { return new Launch(); }
                }
                """, """
                package p;
                public final class Launch {
                    private Launch() {}
                    public static Launch of() { return new Launch(); }
                    public static Launch of(String name) { return new Launch(); }
                    public String name() { return ""; }
                }
                """)).isEmpty();
    }

    @Test
    void newAbstractMethodInAnInterfaceFails() throws IOException {
        // A third party's implementation of Driver would no longer compile.
        assertThat(compare(DRIVER, """
                package p;
                public interface Driver {
                    void start(String task);
                    void stop(String task);
                    void pause(String task);
                }
                """)).containsExactly("p.Driver#pause(java.lang.String): METHOD_ADDED_TO_INTERFACE");
    }

    @Test
    void changedSignatureFails() throws IOException {
        assertThat(compare(DRIVER, """
                package p;
                public interface Driver {
                    void start(String task);
                    void stop(String task, boolean force);
                }
                """)).contains("p.Driver#stop(java.lang.String): METHOD_REMOVED");
        assertThat(compare(DRIVER, """
                package p;
                public interface Driver {
                    boolean start(String task);
                    void stop(String task);
                }
                """)).containsExactly("p.Driver#start(java.lang.String): METHOD_RETURN_TYPE_CHANGED");
    }

    @Test
    void removedTypeFails() throws IOException {
        assertThat(compare(DRIVER + """
                final class Helper {}
                """, """
                package p;
                final class Helper {}
                """)).containsExactly("p.Driver: CLASS_REMOVED");
    }

    @Test
    void acceptedChangePassesAndStaleEntryFails() {
        String removed = "p.Driver#stop(java.lang.String): METHOD_REMOVED";
        AcceptedChanges accepted = AcceptedChanges.parse("""
                # comment

                p.Driver#stop(java.lang.String): METHOD_REMOVED | the task owns the stop now
                """);

        assertThat(accepted.reasons()).isEqualTo(Map.of(removed, "the task owns the stop now"));
        assertThat(accepted.problems(List.of(removed))).isEmpty();
        assertThat(accepted.problems(List.of()))
                .containsExactly("accepted, but no such change (remove the entry): " + removed);
    }

    @Test
    void entryWithoutReasonIsRefused() {
        assertThatThrownBy(() -> AcceptedChanges.parse("p.Driver#stop(java.lang.String): METHOD_REMOVED\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1: no reason");
        assertThatThrownBy(() -> AcceptedChanges.parse("p.Driver: CLASS_REMOVED |  \n"))
                .hasMessageContaining("line 1: no reason");
    }

    @Test
    void sameClassesMakeTheSameJar() throws IOException {
        Path classes = compile("same", DRIVER);
        assertThat(SpiCompatibility.jarOf(classes)).isEqualTo(SpiCompatibility.jarOf(classes));
    }

    private List<String> compare(String before, String after) throws IOException {
        return SpiCompatibility.incompatibleChanges(SpiCompatibility.jarOf(compile("before", before)),
                SpiCompatibility.jarOf(compile("after", after)));
    }

    /** Compiles one source file of package {@code p} (its public type is {@code Driver} or {@code Launch}). */
    private Path compile(String name, String source) throws IOException {
        Path sources = Files.createDirectories(dir.resolve(name + "-src/p"));
        String type = source.contains("public final class Launch") ? "Launch" : "Driver";
        Path file = Files.writeString(sources.resolve(type + ".java"), source, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), file.toString());
        assertThat(status).as("javac on " + source).isZero();
        return classes;
    }
}
