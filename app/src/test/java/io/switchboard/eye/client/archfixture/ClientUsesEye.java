package io.switchboard.eye.client.archfixture;

import io.switchboard.eye.EyeConfig;

/** A deliberate violation of the architecture rules, for ArchitectureRulesTest; nothing uses it. */
final class ClientUsesEye {
    EyeConfig reachesFurtherThanItMay;

    private ClientUsesEye() {}
}
