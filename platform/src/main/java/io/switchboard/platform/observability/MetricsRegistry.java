package io.switchboard.platform.observability;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;

/**
 * Creates the Prometheus registry every instance exposes: Switchboard's meters under one prefix
 * ({@link MetricNaming}), {@code switchboard_build_info}, and the JVM and process meters.
 */
public final class MetricsRegistry {

    private MetricsRegistry() {}

    public static PrometheusMeterRegistry create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Before any meter: a filter applies only to meters registered after it.
        registry.config().meterFilter(new MetricNaming());
        registry.config().commonTags("application", "switchboard");
        BuildInfo build = BuildInfo.current();
        Gauge.builder("build.info", () -> 1)
                .description("Always 1; the labels say which version and commit this instance runs")
                .tag("version", build.version())
                .tag("commit", build.commit())
                .register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        processCpuSeconds(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** The process's CPU time in seconds, the base unit (Micrometer's own is in nanoseconds). */
    private static void processCpuSeconds(MeterRegistry registry) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .description("CPU time the process has used")
                    .baseUnit("seconds")
                    .register(registry);
        }
    }
}
