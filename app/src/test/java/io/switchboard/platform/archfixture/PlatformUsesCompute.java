package io.switchboard.platform.archfixture;

import io.switchboard.compute.ComputeConfig;

/** A deliberate violation of the architecture rules, for ArchitectureRulesTest; nothing uses it. */
final class PlatformUsesCompute {
    ComputeConfig reachesFurtherThanItMay;

    private PlatformUsesCompute() {}
}
