package io.switchboard.mock.archfixture.a;

import io.switchboard.mock.archfixture.b.CycleB;

/** Half of a deliberate package cycle, for ArchitectureRulesTest; nothing uses it. */
public final class CycleA {
    CycleB other;

    private CycleA() {}
}
