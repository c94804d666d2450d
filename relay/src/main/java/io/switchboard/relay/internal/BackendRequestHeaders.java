package io.switchboard.relay.internal;

import io.switchboard.platform.observability.RequestIds;
import io.switchboard.platform.observability.Tracing;
import io.vertx.core.MultiMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The headers of a request the relay sends to the backend: the client's end-to-end fields, {@code
 * Via} and {@code Forwarded}, the request id and trace context, and, for a fetch that may refresh a
 * stored response, the stored validators instead of the client's.
 */
final class BackendRequestHeaders {

    /** Request validators the cache answers itself; it sends its own stored ones instead. */
    private static final Set<String> CLIENT_VALIDATORS = Set.of("if-none-match", "if-modified-since", "host");

    private final Forwarding forwarding;
    private final Tracing tracing;

    BackendRequestHeaders(Forwarding forwarding, Tracing tracing) {
        this.forwarding = forwarding;
        this.tracing = tracing;
    }

    MultiMap forwardHeaders(Lookup lookup, Set<String> except) {
        MultiMap headers = HopByHop.endToEnd(lookup.requestHeaders(), except);
        forwarding.appendVia(headers);
        forwarding.addForwardedFor(headers, lookup.remoteHost(), lookup.scheme(), lookup.host());
        headers.set(RequestIds.HEADER, lookup.requestId());
        // Copied from the client; with tracing on, BackendSpans sets those of its own client span instead.
        tracing.prepareOutgoing(headers);
        return headers;
    }

    MultiMap conditionalHeaders(Lookup lookup, @Nullable CachedResponse entry) {
        MultiMap headers = forwardHeaders(lookup, CLIENT_VALIDATORS);
        if (entry != null) {
            String etag = entry.header("etag");
            String lastModified = entry.header("last-modified");
            if (etag != null) {
                headers.set("If-None-Match", etag);
            }
            if (lastModified != null) {
                headers.set("If-Modified-Since", lastModified);
            }
        }
        return headers;
    }
}
