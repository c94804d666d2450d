package io.switchboard.mock.archfixture.b;

import io.switchboard.mock.archfixture.a.CycleA;

/** Half of a deliberate package cycle, for ArchitectureRulesTest; nothing uses it. */
public final class CycleB {
    CycleA other;

    private CycleB() {}
}
