package io.switchboard.app;

import com.tngtech.archunit.library.freeze.ViolationLineMatcher;
import java.util.regex.Pattern;

/**
 * How a frozen violation (see {@code archunit.properties}) is recognised on a later run. A package
 * cycle is the same cycle as long as it passes through the same packages: ArchUnit's own text of
 * a cycle also lists every dependency along it, so any edit to a method on the cycle (a parameter
 * added to {@code Platform.router}, say) would otherwise make the known cycle look new and fail the
 * build. Any other violation is compared without its line numbers, as ArchUnit does by default.
 * Public with a public constructor because ArchUnit creates it by reflection.
 */
public final class FrozenViolationMatcher implements ViolationLineMatcher {

    private static final String CYCLE = "Cycle detected:";

    /** Where ArchUnit starts listing the dependencies along a cycle. */
    private static final Pattern CYCLE_DETAILS = Pattern.compile("\\s1\\. Dependencies of ");

    /** Source positions such as {@code (Platform.java:124)}, which move with every edit above them. */
    private static final Pattern LINE_NUMBER = Pattern.compile("\\.java:\\d+\\)");

    @Override
    public boolean matches(String stored, String actual) {
        if (stored.startsWith(CYCLE) && actual.startsWith(CYCLE)) {
            return packagesOnCycle(stored).equals(packagesOnCycle(actual));
        }
        return withoutLineNumbers(stored).equals(withoutLineNumbers(actual));
    }

    static String packagesOnCycle(String violation) {
        String head = CYCLE_DETAILS.split(violation, 2)[0];
        return head.replace("\\", " ").replaceAll("\\s+", " ").trim();
    }

    private static String withoutLineNumbers(String violation) {
        return LINE_NUMBER.matcher(violation).replaceAll(".java)");
    }
}
