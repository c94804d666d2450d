package io.switchboard.relay.internal;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.switchboard.platform.observability.Tracing;
import io.switchboard.relay.internal.client.BackendCall;
import io.switchboard.relay.internal.client.BackendResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;

/**
 * One OpenTelemetry client span per backend call, below the request's span, whose {@code
 * traceparent} the backend receives. Vert.x's HTTP client made these itself when tracing was on;
 * the relay's own client does not go through Vert.x's tracer, so the relay makes them here. With
 * tracing off nothing is made (the caller's trace context is passed on by {@link
 * BackendRequestHeaders}).
 */
final class BackendSpans {

    /** A span in flight: ended when the response head arrives or the call fails. */
    interface Span {
        void end(AsyncResult<BackendResponse> result);
    }

    /** With tracing off: nothing to end. */
    private static final Span NONE = result -> {};

    private final Tracing tracing;

    BackendSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Starts the span of {@code call} and puts its trace context in the call's headers. */
    Span start(BackendCall call) {
        if (!tracing.enabled()) {
            return NONE;
        }
        io.opentelemetry.api.trace.Span span = tracing.tracer()
                .spanBuilder(call.method().name())
                .setSpanKind(SpanKind.CLIENT)
                .setParent(Context.current())
                .setAttribute("http.request.method", call.method().name())
                .setAttribute("server.address", call.address().host())
                .setAttribute("server.port", (long) call.address().port())
                .setAttribute("url.full", call.address() + call.uri())
                .startSpan();
        W3CTraceContextPropagator.getInstance().inject(Context.current().with(span), call.headers(), MultiMap::set);
        return result -> {
            if (result.succeeded()) {
                int status = result.result().statusCode();
                span.setAttribute("http.response.status_code", (long) status);
                if (status >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
            } else {
                span.recordException(result.cause());
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        };
    }
}
