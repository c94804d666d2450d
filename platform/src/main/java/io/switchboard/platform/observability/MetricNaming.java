package io.switchboard.platform.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;

/**
 * Puts every Switchboard meter under one name prefix, {@code switchboard_}, at registration, so
 * modules name their meters for what they measure ({@code compute.requests}) and the exposition
 * says whose they are ({@code switchboard_compute_requests_total}).
 *
 * <p>The JVM's and the process's own meters ({@code jvm_*}, {@code process_*}, {@code system_*})
 * keep their customary names: ready-made JVM dashboards and alerts look for them there, and they
 * describe the runtime rather than Switchboard. Two of them break Prometheus's naming rules and are
 * mended here: the process's CPU time in nanoseconds ({@code process_cpu_time_ns_total}, an
 * abbreviated, non-base unit) is left out in favour of {@code process_cpu_seconds_total}, which
 * {@link MetricsRegistry} registers, and {@code system_cpu_count} (a gauge that looks like a
 * histogram's count) becomes {@code system_cpus}.
 */
public final class MetricNaming implements MeterFilter {

    /** The prefix of every Switchboard meter name, in Micrometer's dotted form. */
    public static final String PREFIX = "switchboard.";

    /** Name prefixes of the runtime's meters, which keep their customary names. */
    private static final List<String> RUNTIME = List.of("jvm.", "process.", "system.");

    /** Micrometer's process CPU time, in nanoseconds; replaced by {@code process.cpu} in seconds. */
    private static final String CPU_TIME_NANOS = "process.cpu.time";

    /** A runtime gauge whose customary name ends like a histogram's count; renamed. */
    private static final String CPU_COUNT = "system.cpu.count";

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals(CPU_TIME_NANOS) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName();
        if (name.equals(CPU_COUNT)) {
            return id.withName("system.cpus");
        }
        if (name.startsWith(PREFIX) || RUNTIME.stream().anyMatch(name::startsWith)) {
            return id;
        }
        return id.withName(PREFIX + name);
    }
}
