package io.taskapi.plugin.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The plugin's packages depend on each other without cycles, so that each can be read, tested and moved on its own.
 * A slice is a top-level package under {@code io.taskapi.plugin} with its subpackages.
 */
final class PackageCyclesTest {
    private static final JavaClasses PLUGIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.taskapi.plugin");

    @Test
    void pluginPackagesAreFreeOfCycles() {
        slices().matching("io.taskapi.plugin.(*)..").should().beFreeOfCycles().check(PLUGIN);
    }
}
