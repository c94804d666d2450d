package io.switchboard.eye.archfixture;

import io.switchboard.app.Main;

/** A deliberate violation of the architecture rules, for ArchitectureRulesTest; nothing uses it. */
final class EyeUsesApp {
    Main reachesFurtherThanItMay;

    private EyeUsesApp() {}
}
