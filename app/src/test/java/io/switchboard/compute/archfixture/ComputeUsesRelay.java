package io.switchboard.compute.archfixture;

import io.switchboard.relay.RelayConfig;

/** A deliberate violation of the architecture rules, for ArchitectureRulesTest; nothing uses it. */
final class ComputeUsesRelay {
    RelayConfig reachesFurtherThanItMay;

    private ComputeUsesRelay() {}
}
