package io.switchboard.platform.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry tracing with W3C trace context ({@code traceparent}, {@code tracestate}), off unless
 * configured.
 *
 * <p><b>Enabled</b> ({@link #otlp} or {@link #exportingTo}): Vert.x's tracer makes a server span per
 * request, continuing the caller's trace, and a client span per outgoing request of a Vert.x {@code
 * HttpClient} (each relay call, each fan-out attempt), whose {@code traceparent} it adds to that
 * request. Services make their own child spans with {@link #tracer()} (eye commit, distribute task).
 * Spans are exported in batches over OTLP/HTTP.
 *
 * <p><b>Disabled</b> (the default): no spans and no tracer in Vert.x, so requests pay nothing but a
 * header lookup. A caller's trace context is still passed on unchanged to the backends a request
 * calls, as W3C Trace Context asks of every hop, and its trace id still appears in the logs.
 *
 * <p>Either way the current trace context lives in the request's Vert.x context (OpenTelemetry's
 * context storage is Vert.x's, from {@code vertx-opentelemetry}), so callbacks of one request see
 * it, and so does the log appender.
 */
public final class Tracing {

    /** Instrumentation scope of the spans Switchboard's own code makes. */
    private static final String SCOPE = "io.switchboard";

    /** The W3C Trace Context headers. */
    private static final List<String> HEADERS = List.of("traceparent", "tracestate");

    /** The resource attribute naming the service in every span. */
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    /** Reads trace context from Vert.x request headers. */
    private static final TextMapGetter<MultiMap> HEADER_GETTER = new TextMapGetter<>() {
        // Deprecated in OpenTelemetry's API but still abstract: every getter must implement it.
        @SuppressWarnings("deprecation")
        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public @Nullable String get(@Nullable MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final @Nullable SdkTracerProvider provider;

    private Tracing(OpenTelemetry openTelemetry, @Nullable SdkTracerProvider provider) {
        this.openTelemetry = openTelemetry;
        this.provider = provider;
    }

    /** No spans; trace context passed through unchanged. */
    public static Tracing disabled() {
        return new Tracing(OpenTelemetry.noop(), null);
    }

    /**
     * Spans exported in batches over OTLP/HTTP (protobuf) to {@code endpoint}, the collector's base
     * URL as in {@code OTEL_EXPORTER_OTLP_ENDPOINT} (e.g. {@code http://localhost:4318}); {@code
     * /v1/traces} is appended.
     */
    public static Tracing otlp(URI endpoint, String serviceName) {
        if (endpoint == null || !endpoint.isAbsolute() || endpoint.getHost() == null) {
            throw new IllegalArgumentException("OTLP endpoint must be an absolute http(s) URL, was " + endpoint);
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        SpanExporter exporter =
                OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build();
        return with(BatchSpanProcessor.builder(exporter).build(), serviceName);
    }

    /** Spans handed to {@code exporter} one by one as they end, for tests (an in-memory exporter). */
    public static Tracing exportingTo(SpanExporter exporter, String serviceName) {
        return with(SimpleSpanProcessor.create(exporter), serviceName);
    }

    private static Tracing with(SpanProcessor processor, String serviceName) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("service name must not be blank");
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
                .addSpanProcessor(processor)
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return new Tracing(sdk, provider);
    }

    public boolean enabled() {
        return provider != null;
    }

    /** The tracer for Switchboard's own spans; a no-op one when disabled. */
    public Tracer tracer() {
        return openTelemetry.getTracer(SCOPE);
    }

    /** A Vert.x instance with the tracer installed when enabled. */
    public Vertx newVertx(VertxOptions options) {
        if (!enabled()) {
            return Vertx.vertx(options);
        }
        return Vertx.builder()
                .with(new VertxOptions(options).setTracingOptions(new OpenTelemetryOptions()))
                .withTracer(new OpenTelemetryTracingFactory(openTelemetry))
                .build();
    }

    /**
     * The first handler of a request when tracing is disabled: makes the caller's trace context (if
     * any) current for the request, so that it is passed on and logged. Null when enabled, where
     * Vert.x's tracer has done this already with a span of its own.
     */
    // The scope is left open on purpose: see the comment in the handler.
    @SuppressWarnings("MustBeClosedChecker")
    public @Nullable Handler<RoutingContext> passThroughHandler() {
        if (enabled()) {
            return null;
        }
        return ctx -> {
            if (ctx.request().headers().contains("traceparent")) {
                // The request's Vert.x context holds it and dies with the request; no scope to close.
                W3CTraceContextPropagator.getInstance()
                        .extract(Context.root(), ctx.request().headers(), HEADER_GETTER)
                        .makeCurrent();
            }
            ctx.next();
        };
    }

    /**
     * Sets the trace headers of a request about to be sent to a backend. Enabled: removes any copied
     * from the caller, since the client that sends it adds those of its own client span (Vert.x's
     * HTTP client adds, not replaces). Disabled: passes on the caller's trace context, unchanged.
     */
    public void prepareOutgoing(MultiMap outgoing) {
        if (enabled()) {
            HEADERS.forEach(outgoing::remove);
            return;
        }
        if (Span.current().getSpanContext().isValid()) {
            W3CTraceContextPropagator.getInstance().inject(Context.current(), outgoing, MultiMap::set);
        }
    }

    /** Exports the spans still buffered, waiting a few seconds at most; then nothing more is recorded. */
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
