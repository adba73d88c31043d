package io.taskapi.examples.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The drivers are the SPI's worked example: they must compile against {@code taskapi-driver-spi} (plus the JDK,
 * SLF4J and Jackson), never against the plugin's internals or the test fixtures that happen to be on this module's
 * class path.
 */
final class DriversUseOnlyTheSpiTest {
    private static final Path SOURCES = Path.of("src/main/java/io/taskapi/examples/driver");

    @Test
    void noDriverSourceImportsThePluginOrTheTestingModule() throws IOException {
        assertThat(SOURCES).as("run from the examples module's directory").isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.contains("io.taskapi.plugin") || line.contains("io.taskapi.testing")
                            || line.contains("io.taskapi.examples.agent") || line.contains("io.taskapi.examples.cli")) {
                        offenders.add(SOURCES.relativize(file) + ": " + line.strip());
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
