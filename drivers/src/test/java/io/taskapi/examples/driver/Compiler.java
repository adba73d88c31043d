package io.taskapi.examples.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources at test time with {@code javax.tools} and packages classes as jars. */
public final class Compiler {
    private Compiler() {}

    /**
     * @param sources file name (for example {@code p/Main.java}) to source
     * @param out where the classes go (made); the sources are written next to it
     * @param classPath what the sources compile against
     */
    public static void compile(Map<String, String> sources, Path out, List<Path> classPath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK (not a JRE) runs the tests").isNotNull();
        Path src = out.resolveSibling(out.getFileName() + "-src");    // next to the classes: cleaned up with them
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
        if (!classPath.isEmpty()) {
            args.add("-cp");
            args.add(String.join(":", classPath.stream().map(Path::toString).toList()));
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        Files.createDirectories(out);
        StringWriter diagnostics = new StringWriter();
        OutputStream err = new OutputStream() {
            @Override
            public void write(int b) {
                diagnostics.write(b);
            }
        };
        int result = javac.run(null, null, err, args.toArray(String[]::new));
        assertThat(result).as("javac: %s", diagnostics).isZero();
    }

    /**
     * @param jar the jar to write
     * @param classes a directory of classes to put in it
     * @param resources more entries: name to content
     * @param mainClass the manifest's Main-Class, or {@code null}
     */
    public static void jar(Path jar, Path classes, Map<String, String> resources, String mainClass)
            throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                out.putNextEntry(new JarEntry(resource.getKey()));
                out.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    /** @return where a class was loaded from (a jar or a classes directory) */
    public static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
