package io.switchboard.distribute.archfixture;

import io.switchboard.distribute.client.internal.Bundle;

/** A deliberate violation of the architecture rules, for ArchitectureRulesTest; nothing uses it. */
final class DistributeUsesClientInternals {
    Bundle reachesFurtherThanItMay;

    private DistributeUsesClientInternals() {}
}
