package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Each architecture rule fails for a real violation. The violations are small classes under this
 * module's tests, in other modules' packages ({@code io.switchboard.*.archfixture}); ArchitectureTest
 * leaves test classes out, so they break no rule there.
 */
class ArchitectureRulesTest {

    /** The deliberate violations and what they touch, without the rest of the code base. */
    private static final JavaClasses FIXTURE_CLASSES = new ClassFileImporter()
            .importPackages(
                    "io.switchboard.compute.archfixture",
                    "io.switchboard.distribute.archfixture",
                    "io.switchboard.platform.archfixture",
                    "io.switchboard.eye.archfixture",
                    "io.switchboard.eye.client.archfixture",
                    "io.switchboard.mock.archfixture",
                    "io.switchboard.distribute.client.internal");

    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(FIXTURE_CLASSES);
        assertThat(result.hasViolation())
                .as("%s found a violation", rule.getDescription())
                .isTrue();
        return result.getFailureReport().toString();
    }

    @Test
    void aServiceUsingAnotherServiceBreaksTheServiceRule() {
        assertThat(violations(ArchitectureTest.servicesDependOnlyOnThePlatformAndTheirOwnClients))
                .contains("ComputeUsesRelay")
                .contains("RelayConfig");
    }

    @Test
    void aServiceUsingAnotherModulesInternalsBreaksTheInternalRule() {
        assertThat(violations(ArchitectureTest.internalPackagesAreUsedOnlyByTheirOwnModule))
                .contains("DistributeUsesClientInternals")
                .contains("distribute reaches into distribute-client's internals");
    }

    @Test
    void thePlatformUsingAServiceBreaksThePlatformRule() {
        assertThat(violations(ArchitectureTest.platformDependsOnNoService)).contains("PlatformUsesCompute");
    }

    @Test
    void aModuleUsingAppBreaksTheAppRule() {
        assertThat(violations(ArchitectureTest.nothingDependsOnApp)).contains("EyeUsesApp");
    }

    @Test
    void aClientUsingItsServerBreaksTheClientRule() {
        assertThat(violations(ArchitectureTest.clientsDependOnNoServerModule))
                .contains("ClientUsesEye")
                .contains("EyeConfig");
    }

    @Test
    void twoPackagesUsingEachOtherBreakTheCycleRule() {
        assertThat(violations(ArchitectureTest.packagesHaveNoCycles))
                .contains("Slice mock.archfixture.a")
                .contains("Slice mock.archfixture.b");
    }

    @Test
    void aClassCompiledInOneModuleUnderAnotherModulesPackageIsMisplaced() {
        assertThat(ArchitectureTest.misplaced(FIXTURE_CLASSES))
                .containsEntry(
                        "io.switchboard.compute.archfixture.ComputeUsesRelay", "package says compute, compiled in app");
    }

    @Test
    void testJarsAreLeftOutLikeTestClassDirectories() {
        ArchitectureTest.DoNotIncludeTestJars option = new ArchitectureTest.DoNotIncludeTestJars();

        assertThat(
                        option.includes(
                                Location.of(
                                        URI.create(
                                                "jar:file:/repo/platform/target/platform-0.1.0-SNAPSHOT-tests.jar!/io/switchboard/platform/testing/RunningPlatform.class"))))
                .isFalse();
        assertThat(
                        option.includes(
                                Location.of(
                                        URI.create(
                                                "jar:file:/repo/platform/target/platform-0.1.0-SNAPSHOT.jar!/io/switchboard/platform/Platform.class"))))
                .isTrue();
    }
}
