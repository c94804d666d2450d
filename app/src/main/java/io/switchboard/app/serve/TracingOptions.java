package io.switchboard.app.serve;

import io.switchboard.platform.observability.Tracing;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Tracing options. Their environment variables are OpenTelemetry's own ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME}), so a deployment configured for other
 * OpenTelemetry services configures Switchboard too.
 */
public final class TracingOptions {

    @Option(
            names = "--otel-exporter-otlp-endpoint",
            description = "OTLP/HTTP collector base URL, e.g. http://localhost:4318; spans go to its /v1/traces. "
                    + "Unset: no tracing, trace context is only passed on (env OTEL_EXPORTER_OTLP_ENDPOINT).")
    URI endpoint;

    @Option(
            names = "--otel-service-name",
            defaultValue = "switchboard",
            description = "service.name of the spans (env OTEL_SERVICE_NAME; default ${DEFAULT-VALUE}).")
    String serviceName;

    public Tracing toTracing() {
        if (endpoint == null || endpoint.toString().isBlank()) {
            return Tracing.disabled();
        }
        try {
            return Tracing.otlp(endpoint, serviceName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--otel-exporter-otlp-endpoint: " + e.getMessage(), e);
        }
    }
}
