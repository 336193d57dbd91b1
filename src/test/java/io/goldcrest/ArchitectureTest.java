package io.goldcrest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies point down: HTTP stays in the API layer, and the lower layers never reach up. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.goldcrest");

    @Test
    void onlyTheApiLayerKnowsHttp() {
        noClasses().that().resideOutsideOfPackages("io.goldcrest.api..")
                .and().doNotHaveFullyQualifiedName("io.goldcrest.Goldcrest")
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .check(CLASSES);
    }

    @Test
    void servicesDoNotDependOnTheApi() {
        noClasses().that().resideOutsideOfPackages("io.goldcrest.api..")
                .and().doNotHaveFullyQualifiedName("io.goldcrest.Goldcrest")
                .should().dependOnClassesThat().resideInAPackage("io.goldcrest.api..")
                .check(CLASSES);
    }

    @Test
    void sshAndSchedulerDoNotReachUp() {
        noClasses().that().resideInAnyPackage("io.goldcrest.ssh..", "io.goldcrest.scheduler..", "io.goldcrest.delegation..", "io.goldcrest.storage..",
                        "io.goldcrest.config..", "io.goldcrest.error..")
                .should().dependOnClassesThat().resideInAnyPackage("io.goldcrest.status..", "io.goldcrest.auth..")
                .check(CLASSES);
    }
}
