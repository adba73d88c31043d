package io.taskapi.spi.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPI, as compiled now, against the baseline jar in {@code src/compat}: every binary- or source-incompatible
 * change must be listed, with its reason, in {@code src/compat/accepted-changes.txt}; additions need nothing.
 *
 * <p>Regenerate the baseline (at a release, or after a deliberate reshaping) with
 * {@code ./mvnw -B -pl driver-spi test -Dspi.baseline.update=true}: it writes the current classes as the baseline and
 * empties the accepted list. See docs/spi-compatibility.md.
 */
final class SpiBackwardCompatibilityTest {
    static final Path BASELINE = Path.of("src/compat/taskapi-driver-spi-0.1.0.jar");
    static final Path ACCEPTED = Path.of("src/compat/accepted-changes.txt");
    private static final Path CLASSES = Path.of("target/classes");
    private static final String HEADER = """
            # Incompatible changes to the SPI since the baseline (src/compat/taskapi-driver-spi-0.1.0.jar), made on
            # purpose: one per line, `<element>: <CHANGE_TYPE> | <reason>`, as SpiBackwardCompatibilityTest prints them.
            # Regenerating the baseline empties this list (docs/spi-compatibility.md).
            """;

    @Test
    void currentSpiIsCompatibleWithTheBaselineOrTheChangeIsAccepted() throws IOException {
        byte[] current = SpiCompatibility.jarOf(CLASSES);
        if (Boolean.getBoolean("spi.baseline.update")) {
            Files.write(BASELINE, current);
            Files.writeString(ACCEPTED, HEADER, StandardCharsets.UTF_8);
        }
        List<String> changes = SpiCompatibility.incompatibleChanges(Files.readAllBytes(BASELINE), current);
        AcceptedChanges accepted = AcceptedChanges.parse(Files.readString(ACCEPTED, StandardCharsets.UTF_8));

        assertThat(accepted.problems(changes))
                .as("The SPI changed incompatibly since the baseline. A third-party driver or agent built against it "
                        + "would break. Keep the old form (add, deprecate, default), or, if the break is deliberate, "
                        + "add each line below to " + ACCEPTED + " with ' | <reason>' (docs/spi-compatibility.md)")
                .isEmpty();
    }

    @Test
    void baselineHoldsTheSpi(@TempDir Path empty) throws IOException {
        // A baseline that lost the SPI would let every change pass.
        byte[] baseline = Files.readAllBytes(BASELINE);
        assertThat(SpiCompatibility.incompatibleChanges(baseline, SpiCompatibility.jarOf(empty)))
                .contains("io.taskapi.spi.TaskApiProvider: CLASS_REMOVED");
    }
}
