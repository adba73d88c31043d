package io.taskapi.plugin.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The plugin's packages depend on each other without cycles, so that each can be read, tested and moved on its own:
 * first its top-level packages (each with its subpackages), then every package on its own. The same holds for the
 * modules it is built from: the SPI, the bexpr filter and the HCL reader.
 */
final class PackageCyclesTest {
    private static final JavaClasses PLUGIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.taskapi.plugin");

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("io.taskapi.plugin.(*)..").should().beFreeOfCycles().check(PLUGIN);
    }

    @Test
    void everyPackageIsFreeOfCycles() {
        slices().matching("io.taskapi.plugin.(**)").should().beFreeOfCycles().check(PLUGIN);
    }

    @Test
    void theSpiAndTheLibrariesAreFreeOfCycles() {
        JavaClasses modules = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.taskapi.spi", "io.taskapi.bexpr", "io.taskapi.hcl");
        slices().matching("io.taskapi.(**)").should().beFreeOfCycles().check(modules);
    }
}
