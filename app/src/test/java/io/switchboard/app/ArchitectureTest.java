package io.switchboard.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The module boundaries, checked on the compiled classes of every module (app's tests have them
 * all on the class path). Maven already forbids a module from using one it does not declare; these
 * rules keep the declarations themselves honest, and guard what Maven cannot see: internal
 * packages, package cycles, and the direction of the module graph. ARCHITECTURE.md explains why
 * each rule exists.
 */
@AnalyzeClasses(
        packages = "io.switchboard",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {

    /**
     * Each module's root package. A class belongs to the module with the longest root that contains
     * it: the clients live inside their server's namespace ({@code io.switchboard.eye.client} is
     * eye-client, the rest of {@code io.switchboard.eye} is eye).
     */
    static final Map<String, String> MODULE_ROOTS = Map.ofEntries(
            Map.entry("platform", "io.switchboard.platform"),
            Map.entry("compute", "io.switchboard.compute"),
            Map.entry("fanout", "io.switchboard.fanout"),
            Map.entry("relay", "io.switchboard.relay"),
            Map.entry("eye", "io.switchboard.eye"),
            Map.entry("eye-client", "io.switchboard.eye.client"),
            Map.entry("distribute", "io.switchboard.distribute"),
            Map.entry("distribute-client", "io.switchboard.distribute.client"),
            Map.entry("mock", "io.switchboard.mock"),
            Map.entry("bench", "io.switchboard.bench"),
            Map.entry("app", "io.switchboard.app"));

    /** What each service may use besides itself: the platform and its own client, nothing else. */
    static final Map<String, Set<String>> SERVICES = Map.of(
            "compute", Set.of("platform"),
            "fanout", Set.of("platform"),
            "relay", Set.of("platform"),
            "eye", Set.of("platform", "eye-client"),
            "distribute", Set.of("platform", "distribute-client"),
            "mock", Set.of("platform"),
            "bench", Set.of("platform"));

    /** Libraries other programs embed: they must not drag a server along. */
    static final Set<String> CLIENTS = Set.of("eye-client", "distribute-client");

    @ArchTest
    static final ArchRule servicesDependOnlyOnThePlatformAndTheirOwnClients = CompositeArchRule.of(
                    SERVICES.entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(service -> noClasses()
                                    .that(inModule(service.getKey()))
                                    .should()
                                    .dependOnClassesThat(inAModuleOtherThan(service.getKey(), service.getValue()))
                                    // A module with no classes is caught by everyClassSitsInTheModuleItsPackageNames.
                                    .allowEmptyShould(true))
                            .toList())
            .as("services depend only on the platform and their own clients, never on each other");

    @ArchTest
    static final ArchRule nothingDependsOnApp = noClasses()
            .that(DescribedPredicate.not(inModule("app")))
            .should()
            .dependOnClassesThat(inModule("app"))
            .as("nothing depends on app: it wires the modules, and no module may know how it is wired");

    @ArchTest
    static final ArchRule platformDependsOnNoService = noClasses()
            .that(inModule("platform"))
            .should()
            .dependOnClassesThat(inAModuleOtherThan("platform", Set.of()))
            .as("the platform depends on no other module: every service builds on it");

    @ArchTest
    static final ArchRule clientsDependOnNoServerModule = CompositeArchRule.of(CLIENTS.stream()
                    .sorted()
                    .map(client -> noClasses()
                            .that(inModule(client))
                            .should()
                            .dependOnClassesThat(inAModuleOtherThan(client, CLIENTS))
                            .allowEmptyShould(true))
                    .toList())
            .as("clients (eye-client, distribute-client) depend on no server module: programs embed them");

    @ArchTest
    static final ArchRule internalPackagesAreUsedOnlyByTheirOwnModule = classes()
            .that()
            .resideInAPackage("..internal..")
            .should(beUsedOnlyByTheirOwnModule())
            .as("internal packages are used only by their own module");

    @ArchTest
    static final ArchRule packagesHaveNoCycles =
            slices().matching("io.switchboard.(**)").should().beFreeOfCycles().as("no cycles between packages");

    /**
     * The rules above find a module by package; this checks that the package map agrees with where
     * each class was actually compiled, so a class placed in another module's namespace (the
     * clients share their server's) cannot slip past them.
     */
    @ArchTest
    static void everyClassSitsInTheModuleItsPackageNames(JavaClasses imported) {
        assertThat(misplaced(imported))
                .as("classes whose package names another module")
                .isEmpty();
        assertThat(imported.stream().map(c -> moduleOf(c).orElseThrow()).collect(Collectors.toSet()))
                .as("modules imported; a missing one means app's class path lost it")
                .containsExactlyInAnyOrderElementsOf(MODULE_ROOTS.keySet());
    }

    /** Each class whose package names a module other than the one it was compiled in, and why. */
    static Map<String, String> misplaced(JavaClasses classes) {
        Map<String, String> misplaced = new TreeMap<>();
        for (JavaClass javaClass : classes) {
            String byPackage = moduleOf(javaClass).orElse("(no module)");
            String byLocation = javaClass
                    .getSource()
                    .map(source -> artifactOf(source.getUri().toString()))
                    .orElse("(unknown location)");
            if (!byPackage.equals(byLocation)) {
                misplaced.put(javaClass.getName(), "package says " + byPackage + ", compiled in " + byLocation);
            }
        }
        return misplaced;
    }

    /**
     * Leaves out test jars ({@code platform-VERSION-tests.jar}). A full build puts the platform's test
     * fixtures on app's class path as that jar, where ArchUnit's own test filter, which knows only
     * test-class directories, would let them in; a scoped build puts them there as a directory it
     * does filter. Both runs must see the same classes.
     */
    public static final class DoNotIncludeTestJars implements ImportOption {

        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return !location.matches(TEST_JAR);
        }
    }

    static Optional<String> moduleOf(JavaClass javaClass) {
        String name = javaClass.getPackageName();
        return MODULE_ROOTS.entrySet().stream()
                .filter(root -> name.equals(root.getValue()) || name.startsWith(root.getValue() + "."))
                .max(Comparator.comparingInt(root -> root.getValue().length()))
                .map(Map.Entry::getKey);
    }

    /** A packaged module ({@code relay-0.1.0.jar}) or a module's build output ({@code relay/target/classes}). */
    private static final List<Pattern> ARTIFACT_LOCATIONS =
            List.of(Pattern.compile("/([a-z]+(?:-[a-z]+)*)-\\d[^/!]*\\.jar!/"), Pattern.compile("/([a-z-]+)/target/"));

    static String artifactOf(String uri) {
        for (Pattern pattern : ARTIFACT_LOCATIONS) {
            Matcher matcher = pattern.matcher(uri);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return uri;
    }

    static DescribedPredicate<JavaClass> inModule(String module) {
        return DescribedPredicate.describe(
                "are in module " + module, javaClass -> moduleOf(javaClass).equals(Optional.of(module)));
    }

    /** Any Switchboard class outside {@code module} and outside {@code allowed}. */
    static DescribedPredicate<JavaClass> inAModuleOtherThan(String module, Set<String> allowed) {
        String description = allowed.isEmpty()
                ? "are in a module other than " + module
                : "are in a module other than " + module + " and "
                        + String.join(", ", allowed.stream().sorted().toList());
        return DescribedPredicate.describe(
                description,
                javaClass -> moduleOf(javaClass)
                        .filter(owner -> !owner.equals(module) && !allowed.contains(owner))
                        .isPresent());
    }

    static ArchCondition<JavaClass> beUsedOnlyByTheirOwnModule() {
        return new ArchCondition<>("be used only by their own module") {
            @Override
            public void check(JavaClass target, ConditionEvents events) {
                Optional<String> owner = moduleOf(target);
                for (Dependency dependency : target.getDirectDependenciesToSelf()) {
                    Optional<String> user = moduleOf(dependency.getOriginClass());
                    if (!user.equals(owner)) {
                        events.add(SimpleConditionEvent.violated(
                                dependency,
                                dependency.getDescription() + ": " + user.orElse("(no module)") + " reaches into "
                                        + owner.orElse("(no module)") + "'s internals"));
                    }
                }
            }
        };
    }
}
