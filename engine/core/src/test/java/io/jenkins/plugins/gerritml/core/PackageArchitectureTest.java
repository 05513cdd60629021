package io.jenkins.plugins.gerritml.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps core Jenkins-free and its layers as drawn in {@code src/test/resources/design.puml}.
 */
class PackageArchitectureTest {
    private static final String ROOT = "io.jenkins.plugins.gerritml.core";
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void shouldImportTheWholeCore() {
        // A rule over an empty import passes vacuously; make sure there is something to check.
        assertThat(classes).hasSizeGreaterThan(10);
    }

    @Test
    void shouldNotDependOnJenkins() {
        ArchRule rule = noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..")
                .because("core must build and run without Jenkins; plugin/ wraps it");
        rule.check(classes);
    }

    @Test
    void shouldFollowTheDrawnLayers() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("cli").definedBy(ROOT + ".cli..")
                .layer("engine").definedBy(ROOT + ".engine..")
                .layer("sagemaker").definedBy(ROOT + ".sagemaker..")
                .layer("prefect").definedBy(ROOT + ".prefect..")
                .layer("tensorboard").definedBy(ROOT + ".tensorboard..")
                .layer("gerrit").definedBy(ROOT + ".gerrit..")
                .layer("pipeline").definedBy(ROOT + ".pipeline..")
                .layer("util").definedBy(ROOT + ".util..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("engine").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("sagemaker").mayOnlyBeAccessedByLayers("cli", "engine")
                .whereLayer("prefect").mayOnlyBeAccessedByLayers("cli", "engine")
                .whereLayer("tensorboard").mayOnlyBeAccessedByLayers("cli", "engine")
                .whereLayer("gerrit").mayOnlyBeAccessedByLayers("cli", "engine", "sagemaker", "prefect", "tensorboard")
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli", "engine", "sagemaker", "prefect",
                        "tensorboard", "gerrit")
                .check(classes);
    }
}
