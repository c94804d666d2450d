package io.switchboard.eye;

import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.switchboard.eye.ApiKeys.Caller;
import io.switchboard.eye.ingest.BodyDecoding;
import io.switchboard.eye.ingest.EventIds;
import io.switchboard.eye.ingest.EventParser;
import io.switchboard.eye.ingest.GroupCommitWriter;
import io.switchboard.eye.ingest.GroupCommitWriter.Ack;
import io.switchboard.eye.ingest.IncomingEvent;
import io.switchboard.eye.process.EventProcessor;
import io.switchboard.eye.process.SchemaCatalog;
import io.switchboard.eye.query.EventQueries;
import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.openapi.OpenApiFragment;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * The eye: an event collector that never loses an acknowledged event.
 *
 * <p>Data flow: {@code POST /events} → API key check ({@link KeyCache}, else the database) →
 * {@link EventParser} (structure only; 400 naming the field) → {@link GroupCommitWriter} (one
 * transaction for many requests; 503 + Retry-After when its queue is full) → 202 with the ids once
 * committed → {@link EventProcessor} validates asynchronously (JSON Schema per (category, name),
 * future timestamps, session order) and marks each event valid or invalid → {@code GET /events},
 * {@code GET /events/errors} and {@code GET /events/errors/counts} read them ({@link EventQueries}).
 *
 * <p>Threading: parsing, key-cache hits and answering run on the event loop; database work runs
 * on the writer thread, the processor thread or Vert.x worker threads (key checks, queries),
 * never on the event loop. Opening the database and migrating it happen once in {@link #mount},
 * before the server listens.
 *
 * <p>This class holds the routes, the ingest path and the lifecycle; who is calling is {@link
 * Authentication}'s job, and the query parameters of a page are {@link PageRequest}'s.
 */
public final class EyeService implements Service {

    public static final String NAME = "eye";

    /** Advertised when the writer's queue is full: a group commit takes milliseconds. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final EyeConfig config;
    private final SchemaCatalog schemas;
    private final KeyCache keyCache = new KeyCache(System::nanoTime);
    private Authentication authentication;
    private Vertx vertx;
    /** The server's body limit, also applied to a gzip body once inflated. */
    private long maxBodyBytes;

    private Tracer tracer;
    private EyeStorage storage;
    private GroupCommitWriter writer;
    private EventProcessor processor;
    private EventParser parser;
    private EventQueries queries;
    private Counter ingested;

    /**
     * @throws IllegalArgumentException when a schema of {@code config.schemaDir()} is unusable
     */
    public EyeService(EyeConfig config) {
        this.config = config;
        this.schemas = SchemaCatalog.load(config.schemaDir());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mount(Router router, ServiceContext context) {
        this.vertx = context.vertx();
        this.maxBodyBytes = context.server().maxBodyBytes();
        this.tracer = context.tracing().tracer();
        Clock clock = context.clock();
        storage = EyeStorage.open(config, clock);
        config.bootstrapKeys().forEach(storage.apiKeys()::ensure);
        authentication = new Authentication(vertx, storage.apiKeys(), keyCache);
        processor = new EventProcessor(
                storage.processorDataSource(),
                schemas,
                clock,
                config.futureSkew(),
                config.maxProcessingLag(),
                config.sessionReorderWindow(),
                context.metrics());
        writer = new GroupCommitWriter(
                storage.ingestDataSource(),
                config.maxQueuedEvents(),
                config.maxEventsPerCommit(),
                processor::wake,
                context.metrics());
        processor.start();
        parser = new EventParser(config.maxBatch(), new EventIds(clock), clock);
        queries = new EventQueries(storage.dataSource());
        ingested = Counter.builder("eye.events.ingested")
                .description("Structurally valid events received from authenticated applications")
                .register(context.metrics());

        // Its own route: Vert.x Web runs a route's body handler before any other handler of that route.
        router.post("/events").handler(EyeService::requireJsonContentType);
        router.post("/events").handler(context.bodyHandler()).handler(this::handleIngest);
        router.get("/events").handler(this::handleEvents);
        router.get("/events/errors").handler(this::handleErrors);
        router.get("/events/errors/counts").handler(this::handleErrorCounts);
    }

    /**
     * Refuses a body declared as anything but JSON before it is read, so the answer never depends on
     * its size ({@code curl -d} sends {@code application/x-www-form-urlencoded}, which the body
     * handler would otherwise parse as a form up to its attribute limit). No Content-Type is read
     * as JSON.
     */
    private static void requireJsonContentType(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null || isJson(contentType)) {
            ctx.next();
            return;
        }
        ctx.fail(new ProblemException(Problem.of(
                        415,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "events are JSON: send 'Content-Type: application/json' (was '" + contentType + "')")
                .withParameter("Content-Type")));
    }

    private static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private void handleIngest(RoutingContext ctx) {
        authenticate(ctx)
                .map(EyeService::requireIngestScope)
                .map(caller -> parser.parse(
                        BodyDecoding.decode(
                                ctx.request().getHeader("Content-Encoding"),
                                ctx.body().buffer(),
                                maxBodyBytes),
                        caller.application()))
                .compose(this::store)
                .onSuccess(acks -> acknowledge(ctx, acks))
                .onFailure(ctx::fail);
    }

    private Future<List<Ack>> store(List<IncomingEvent> events) {
        ingested.increment(events.size());
        // The wait for the group commit that makes these events durable, below the request's span.
        Span commit = tracer.spanBuilder("eye commit")
                .setAttribute("eye.events", events.size())
                .startSpan();
        return storeDurably(events).onComplete(stored -> {
            if (stored.failed()) {
                commit.setStatus(StatusCode.ERROR, String.valueOf(stored.cause().getMessage()));
            }
            commit.end();
        });
    }

    private Future<List<Ack>> storeDurably(List<IncomingEvent> events) {
        try {
            return Future.fromCompletionStage(writer.submit(events), vertx.getOrCreateContext())
                    .recover(failure -> Future.failedFuture(new ProblemException(
                            Problem.of(
                                    503,
                                    "storage-unavailable",
                                    "Events not stored",
                                    "The events could not be committed; nothing of this request was stored, retry it"),
                            RETRY_AFTER)));
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(
                    ProblemException.overloaded("The event writer is behind: " + e.getMessage(), RETRY_AFTER));
        }
    }

    private static void acknowledge(RoutingContext ctx, List<Ack> acks) {
        ctx.response()
                .setStatusCode(202)
                .putHeader("Content-Type", "application/json")
                .end(acknowledgement(acks));
    }

    /**
     * {@code {"ids":[...],"accepted":n,"duplicates":d,"duplicate_ids":[...]}}, written straight into
     * text: one per request on the hottest path, where a JSON tree and its encoder cost more than the
     * rest of the answer.
     */
    static String acknowledgement(List<Ack> acks) {
        StringBuilder json = new StringBuilder(32 + 40 * acks.size()).append("{\"ids\":[");
        int duplicates = 0;
        for (int i = 0; i < acks.size(); i++) {
            appendString(json.append(i == 0 ? "" : ","), acks.get(i).id());
            duplicates += acks.get(i).duplicate() ? 1 : 0;
        }
        json.append("],\"accepted\":")
                .append(acks.size())
                .append(",\"duplicates\":")
                .append(duplicates)
                .append(",\"duplicate_ids\":[");
        boolean first = true;
        for (Ack ack : acks) {
            if (ack.duplicate()) {
                appendString(json.append(first ? "" : ","), ack.id());
                first = false;
            }
        }
        return json.append("]}").toString();
    }

    /** {@code text} as a JSON string: ids come from clients and may hold quotes or control characters. */
    private static void appendString(StringBuilder json, String text) {
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, json);
        json.append('"');
    }

    private void handleEvents(RoutingContext ctx) {
        page(ctx, EventProcessor.VALID, "events");
    }

    private void handleErrors(RoutingContext ctx) {
        page(ctx, EventProcessor.INVALID, "errors");
    }

    private void page(RoutingContext ctx, int status, String field) {
        authenticate(ctx)
                .map(caller -> PageRequest.of(ctx.queryParams()).visibleTo(caller))
                .compose(request ->
                        blocking(() -> queries.page(status, request.filter(), request.limit(), request.cursor())))
                .onSuccess(page -> json(
                        ctx,
                        new JsonObject()
                                .put(field, new JsonArray(List.copyOf(page.items())))
                                .put(
                                        "next_cursor",
                                        page.next() == null ? null : page.next().encode())))
                .onFailure(ctx::fail);
    }

    private void handleErrorCounts(RoutingContext ctx) {
        authenticate(ctx)
                .map(caller ->
                        PageRequest.of(ctx.queryParams()).visibleTo(caller).filter())
                .compose(filter -> blocking(() -> queries.errorCounts(filter)))
                .onSuccess(counts -> json(ctx, new JsonObject().put("counts", counts)))
                .onFailure(ctx::fail);
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static Caller requireIngestScope(Caller caller) {
        if (!caller.scope().canIngest()) {
            throw Authentication.forbidden(
                    "Authorization",
                    "a key with scope '" + caller.scope().label()
                            + "' reads events but cannot send them; use an application or admin key");
        }
        return caller;
    }

    /** The application and scope of the request's bearer key, or a 401 problem. */
    private Future<Caller> authenticate(RoutingContext ctx) {
        return authentication.caller(ctx);
    }

    /** Runs blocking database work on a worker thread (unordered, so requests run in parallel). */
    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    /**
     * The processor's state: backlog, the age of its oldest event and {@code "processing":
     * "DEGRADED"} past {@code --eye-max-processing-lag}. Readiness stays UP: ingestion still
     * acknowledges durably, and taking the instance out of rotation would not help the processor.
     */
    @Override
    public @Nullable JsonObject readinessDetails() {
        return processor == null ? null : processor.status();
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.load(EyeService.class, "openapi.json");
    }

    @Override
    public Future<Void> close() {
        if (vertx == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            // Writer first: it commits what is queued and wakes the processor one last time.
            writer.close();
            processor.close();
            storage.close();
            return null;
        });
    }

    /** Test hook: the database. */
    EyeStorage storage() {
        return storage;
    }

    /** Test hook: the key store. */
    ApiKeys apiKeys() {
        return storage.apiKeys();
    }
}
