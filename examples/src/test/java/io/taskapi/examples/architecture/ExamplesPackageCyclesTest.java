package io.taskapi.examples.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The example agent, its CLI, the example drivers and the testing fakes depend on each other's packages without
 * cycles, as the plugin's do (its own PackageCyclesTest).
 */
final class ExamplesPackageCyclesTest {
    @Test
    void everyPackageIsFreeOfCycles() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.taskapi.examples", "io.taskapi.testing");
        slices().matching("io.taskapi.(**)").should().beFreeOfCycles().check(classes);
    }
}
