package io.switchboard.mock.work;

import io.switchboard.mock.work.ScriptedAnswer.Fault;
import io.switchboard.platform.Service;
import io.switchboard.platform.ServiceContext;
import io.switchboard.platform.openapi.OpenApiFragment;
import io.switchboard.platform.problem.Problem;
import io.switchboard.platform.problem.ProblemException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mock of the assignment's unreliable work backend ({@code GET /api/work} and {@code GET /},
 * answering {@code {"time": N}} after 100–600 ms), scriptable as the seed's mock server was.
 *
 * <p>Routes, under the configured prefix:
 *
 * <ul>
 *   <li>{@code GET /api/work} and {@code GET /} (exact path): the next scripted answer, or the
 *       default unreliable behaviour once the script is used up;
 *   <li>{@code POST /setscenario}: a JSON array of {@code [body, status, delay_ms]} entries, each
 *       optionally with a fourth element {@code "reset"}, {@code "slow-body"} or {@code "hang"};
 *       answers {@code OK};
 *   <li>{@code GET /requests}: arrival times, in seconds since the scenario was set;
 *   <li>{@code GET /stats}: counts of requests received, answered, abandoned by the client before
 *       their answer, faulted by script, and in progress.
 * </ul>
 *
 * <p>Threads: handlers run on the event loops; delays are Vert.x timers, cancelled when the client
 * closes the connection, so abandoned requests leave nothing behind. Counters are atomic and the
 * scenario synchronises itself.
 */
public final class WorkMockService implements Service {

    public static final String NAME = "mock-work";

    /** Chunks a slow body is cut into, spread evenly over the scripted delay. */
    private static final int SLOW_BODY_CHUNKS = 10;

    private final WorkMockConfig config;
    private final Scenario scenario = new Scenario();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();

    public WorkMockService(WorkMockConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void mount(Router router, ServiceContext context) {
        String p = config.prefix();
        router.get(p + "/api/work").handler(this::handleWork);
        router.get(p.isEmpty() ? "/" : p + "/").handler(this::handleWork);
        // Two routes: Vert.x Web wants the body handler first on a route, and the header fix must precede it.
        router.post(p + "/setscenario").handler(this::controlAllowed).handler(WorkMockService::treatBodyAsJson);
        router.post(p + "/setscenario").handler(context.bodyHandler()).handler(this::handleSetScenario);
        router.get(p + "/requests").handler(this::controlAllowed).handler(this::handleRequests);
        router.get(p + "/stats").handler(this::controlAllowed).handler(this::handleStats);
    }

    /** Everything under a non-empty prefix is the mock's: an unknown path there is 404, never relayed. */
    @Override
    public List<String> ownedPrefixes() {
        return config.prefix().isEmpty() ? List.of() : List.of(config.prefix());
    }

    /** Requests received by the work endpoint since start. */
    public long received() {
        return received.get();
    }

    /** Requests whose client closed the connection before the answer was complete. */
    public long abandoned() {
        return abandoned.get();
    }

    /** Requests neither answered, abandoned nor faulted yet. */
    public long inProgress() {
        return received.get() - answered.get() - abandoned.get() - faulted.get();
    }

    /** Requests received since the scenario was last set. */
    public int requestsSinceScenario() {
        return scenario.arrivalCount();
    }

    /** Replaces the script, as {@code POST /setscenario} does; for tests in the same process. */
    public void setScenario(List<ScriptedAnswer> answers) {
        scenario.set(answers);
    }

    /**
     * Control endpoints answer loopback clients only, unless the config allows remote control: a
     * {@code serve} bound to all interfaces must not let anyone script the fan-out's backend.
     */
    private void controlAllowed(RoutingContext ctx) {
        SocketAddress peer = ctx.request().remoteAddress();
        if (config.remoteControl() || (peer != null && isLoopback(peer.hostAddress()))) {
            ctx.next();
            return;
        }
        throw new ProblemException(Problem.of(
                403,
                "mock-control-refused",
                "Mock control refused",
                "The work mock's control endpoints answer only on loopback; start the mock with "
                        + "--work-remote-control to allow other clients"));
    }

    private static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.toLowerCase(java.util.Locale.ROOT);
        return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1") || a.startsWith("::ffff:127.");
    }

    /**
     * The scenario is JSON whatever the client says: the seed's own example (urllib, curl -d) posts it
     * as a form, which the body handler would try to decode as form fields and refuse beyond 8 KiB.
     */
    private static void treatBodyAsJson(RoutingContext ctx) {
        ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        ctx.next();
    }

    private void handleSetScenario(RoutingContext ctx) {
        List<ScriptedAnswer> answers = parseScenario(ctx.body().asString());
        scenario.set(answers);
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("OK");
    }

    private static List<ScriptedAnswer> parseScenario(String body) {
        JsonArray entries;
        try {
            entries = new JsonArray(body == null ? "" : body);
        } catch (DecodeException e) {
            throw ProblemException.invalidParameter(
                    "body", "The scenario must be a JSON array of [body, status, delay_ms] entries");
        }
        List<ScriptedAnswer> answers = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.getValue(i) instanceof JsonArray entry)) {
                throw ProblemException.invalidParameter(
                        "body", "scenario entry " + i + ": expected an array [body, status, delay_ms]");
            }
            try {
                answers.add(ScriptedAnswer.parse(entry, i));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidParameter("body", e.getMessage());
            }
        }
        return answers;
    }

    private void handleRequests(RoutingContext ctx) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(scenario.arrivals().encode());
    }

    private void handleStats(RoutingContext ctx) {
        JsonObject stats = new JsonObject()
                .put("received", received.get())
                .put("answered", answered.get())
                .put("abandoned", abandoned.get())
                .put("faulted", faulted.get())
                .put("in_progress", inProgress());
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(stats.encode());
    }

    private void handleWork(RoutingContext ctx) {
        received.incrementAndGet();
        Optional<ScriptedAnswer> scripted = scenario.arrive();
        new Exchange(ctx, scripted.orElseGet(this::defaultAnswer)).start();
    }

    /** The unreliable backend's behaviour: a random delay, then a share of errors, broken bodies and hangs. */
    private ScriptedAnswer defaultAnswer() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long delay =
                random.nextLong(config.minDelay().toMillis(), config.maxDelay().toMillis() + 1);
        double roll = random.nextDouble();
        if (roll < config.hangShare()) {
            return new ScriptedAnswer("", 200, delay, Fault.HANG);
        }
        if (roll < config.hangShare() + config.errorShare()) {
            return new ScriptedAnswer("Internal Server Error", 500, delay, Fault.NONE);
        }
        if (roll < config.hangShare() + config.errorShare() + config.invalidShare()) {
            return new ScriptedAnswer("{\"time\": ", 200, delay, Fault.NONE);
        }
        return new ScriptedAnswer("{\"time\": " + delay + "}", 200, delay, Fault.NONE);
    }

    /** One request being answered; all its callbacks run on the request's event loop. */
    private final class Exchange {

        private final RoutingContext ctx;
        private final ScriptedAnswer answer;
        private final Vertx vertx;
        private long timer = -1;
        private boolean settled;

        Exchange(RoutingContext ctx, ScriptedAnswer answer) {
            this.ctx = ctx;
            this.answer = answer;
            this.vertx = ctx.vertx();
        }

        void start() {
            ctx.response().closeHandler(closed -> onClientGone());
            switch (answer.fault()) {
                case NONE -> after(answer.delayMillis(), this::answer);
                case RESET -> after(answer.delayMillis(), this::reset);
                case SLOW_BODY -> trickle();
                case HANG -> {
                    // Held until the client closes the connection.
                }
            }
        }

        private void after(long delayMillis, Runnable action) {
            if (delayMillis == 0) {
                action.run();
            } else {
                timer = vertx.setTimer(delayMillis, id -> {
                    timer = -1;
                    action.run();
                });
            }
        }

        private void answer() {
            settle(answered);
            ctx.response()
                    .setStatusCode(answer.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(answer.body());
        }

        private void reset() {
            settle(faulted);
            ctx.request().connection().close();
        }

        private void trickle() {
            Buffer body = Buffer.buffer(answer.body());
            HttpServerResponse response = ctx.response()
                    .setStatusCode(answer.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
            response.writeHead();
            trickleChunk(body, 0);
        }

        private void trickleChunk(Buffer body, int chunk) {
            int from = body.length() * chunk / SLOW_BODY_CHUNKS;
            int to = body.length() * (chunk + 1) / SLOW_BODY_CHUNKS;
            if (chunk == SLOW_BODY_CHUNKS - 1) {
                settle(answered);
                ctx.response().end(body.getBuffer(from, to));
                return;
            }
            ctx.response().write(body.getBuffer(from, to));
            after(Math.max(1, answer.delayMillis() / SLOW_BODY_CHUNKS), () -> trickleChunk(body, chunk + 1));
        }

        private void onClientGone() {
            if (timer != -1) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            if (!settled) {
                settle(abandoned);
            }
        }

        private void settle(AtomicLong counter) {
            if (!settled) {
                settled = true;
                counter.incrementAndGet();
            }
        }
    }

    @Override
    public JsonObject openApi() {
        return OpenApiFragment.withPathPrefix(
                OpenApiFragment.load(WorkMockService.class, "openapi.json"), config.prefix());
    }
}
