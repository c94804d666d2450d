package io.switchboard.app.serve;

import io.switchboard.platform.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every service may need at creation, beyond its own options.
 *
 * @param server the shared server's settings (port 0 means "picked at start")
 * @param dataDir directory for embedded state (database files, logs); created on demand
 * @param clock the clock services read time from; tests pass a controllable one
 */
record ServeSettings(ServerConfig server, Path dataDir, Clock clock) {}
