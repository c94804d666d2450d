package io.switchboard.distribute.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.distribute.client.internal.AsyncLimiter;
import io.switchboard.distribute.client.internal.Bundle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a task: upload its bundle unless the server has it, submit it, wait for its
 * end, decode it. Everything is asynchronous ({@link HttpClient#sendAsync} chains), so callers'
 * threads never wait and one client can keep thousands of tasks going.
 *
 * <p>The flow of {@link #run}: {@code ensureUploaded} (HEAD, then PUT unless it answered 200; once per bundle
 * and server, concurrent callers sharing one upload) → {@code submit} ({@code POST
 * /distribute/tasks?wait=60s}) → {@code awaitEnd} ({@code GET /distribute/tasks/{id}?wait=60s}
 * while the answer is 202) → {@link TaskOutcomes#outcome}. A 422 {@code unknown-bundle} (the
 * server evicted the bundle) uploads it again and resubmits once.
 *
 * <p>Every request goes through an {@link AsyncLimiter} of {@link #DEFAULT_MAX_IN_FLIGHT}: with
 * HTTP/1.1 each request in flight holds a connection. A 429 (queue full) or 503 is retried up to
 * {@link #MAX_BUSY_RETRIES} times, after the server's {@code Retry-After} or an exponential backoff
 * with jitter if longer; the wait does not hold a permit. A lost submission is not retried: the
 * POST may have reached the server, and resubmitting would run the function twice; a lost poll is
 * repeated up to {@link #MAX_LOST_POLLS} times in a row.
 *
 * <p>Cancelling the future {@link #run} returns stops the waiting and deletes the task on the
 * server, which kills its worker if it is running.
 */
final class TaskClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskClient.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests in flight at once, and so connections to the server. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    /** How long one request asks the server to wait for a task's end (the server's maximum). */
    static final String WAIT = "60s";

    /** The time limit of a waiting request: the wait plus a margin for a busy server. */
    static final Duration WAITING_REQUEST_TIMEOUT = Duration.ofSeconds(90);

    /** The time limit of other requests (uploads included). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** How long connecting may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Retries of a request answered 429 or 503 before it fails. */
    static final int MAX_BUSY_RETRIES = 8;

    /** The first backoff after a 429 or 503 without Retry-After; it doubles per retry. */
    static final Duration BUSY_BACKOFF = Duration.ofMillis(100);

    /** The backoff's cap. */
    static final Duration MAX_BUSY_BACKOFF = Duration.ofSeconds(10);

    /** Polls in a row that may be lost with their connection (a restarting proxy, an idle timeout) before waiting fails. */
    static final int MAX_LOST_POLLS = 3;

    /** The problem type's end that says the server does not hold the named bundle. */
    static final String UNKNOWN_BUNDLE = "/unknown-bundle";

    private final String base;
    /** The Authorization header's value, or null to send none. */
    private final @Nullable String authorization;

    private final HttpClient http;
    private final AsyncLimiter limiter;

    /** Uploads done or under way, per bundle id: concurrent tasks of one bundle share one upload. */
    private final Map<String, CompletableFuture<Void>> uploads = new ConcurrentHashMap<>();

    /** The bundles this client built, per id, to upload again when the server evicted one. */
    private final Map<String, Bundle> known = new ConcurrentHashMap<>();

    /**
     * @param base the server's URL, e.g. {@code http://127.0.0.1:8080}
     * @param token the bearer token, or null/empty to send none (the server then accepts loopback only)
     */
    public TaskClient(URI base, @Nullable String token, int maxInFlight) {
        String url = base.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.authorization = token == null || token.isEmpty() ? null : "Bearer " + token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.limiter = new AsyncLimiter(maxInFlight, ForkJoinPool.commonPool());
    }

    /** Runs {@code request} to its end; the future fails with TaskFailedException or DistributeException. */
    public <R> CompletableFuture<RemoteResult<R>> run(TaskRequest request, ResultDecoder<R> decoder) {
        CompletableFuture<RemoteResult<R>> result = new CompletableFuture<>();
        AtomicReference<String> taskId = new AtomicReference<>();
        CompletableFuture<Void> upload = ensureUploaded(request.bundle());
        var _ = upload.thenCompose(ok -> submit(request, upload, false, taskId, result))
                .thenApply(task -> TaskOutcomes.outcome(task, decoder))
                .whenComplete((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(unwrap(failure));
                    } else {
                        result.complete(value);
                    }
                });
        var _ = result.whenComplete((value, failure) -> {
            String id = taskId.get();
            if (result.isCancelled() && id != null) {
                cancel(id);
            }
        });
        return result;
    }

    /** Uploads {@code bundle} unless this client already did; a null bundle needs nothing. */
    public CompletableFuture<Void> ensureUploaded(@Nullable Bundle bundle) {
        if (bundle == null) {
            return CompletableFuture.completedFuture(null);
        }
        known.putIfAbsent(bundle.id(), bundle);
        return sharedUpload(bundle, false);
    }

    private CompletableFuture<Void> sharedUpload(Bundle bundle, boolean skipHead) {
        CompletableFuture<Void> upload =
                uploads.computeIfAbsent(bundle.id(), id -> skipHead ? put(bundle) : headThenPut(bundle));
        var _ = upload.whenComplete((ok, failure) -> {
            if (failure != null) {
                uploads.remove(bundle.id(), upload);
            }
        });
        return upload;
    }

    private CompletableFuture<Void> headThenPut(Bundle bundle) {
        HttpRequest head = request("/distribute/bundles/" + bundle.id(), REQUEST_TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
        // Anything but 200 leads to the PUT: it is idempotent, and its refusal (401, 413) says more than a HEAD's.
        return send(head)
                .thenCompose(response ->
                        response.statusCode() == 200 ? CompletableFuture.completedFuture(null) : put(bundle));
    }

    private CompletableFuture<Void> put(Bundle bundle) {
        HttpRequest put = request("/distribute/bundles/" + bundle.id(), REQUEST_TIMEOUT)
                .header("Content-Type", "application/java-archive")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bundle.jar()))
                .build();
        return send(put).thenCompose(response -> {
            if (response.statusCode() == 200 || response.statusCode() == 201) {
                LOG.debug(
                        "Uploaded bundle {} ({} classes, {} bytes)",
                        bundle.id(),
                        bundle.classes().size(),
                        bundle.jar().length);
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(
                    refused("the upload of bundle " + bundle.id() + " (" + bundle.jar().length + " bytes)", response));
        });
    }

    private CompletableFuture<JsonNode> submit(
            TaskRequest request,
            CompletableFuture<Void> upload,
            boolean reuploaded,
            AtomicReference<String> taskId,
            CompletableFuture<?> caller) {
        HttpRequest post = request("/distribute/tasks?wait=" + WAIT, WAITING_REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(request.toJson())))
                .build();
        return send(post).thenCompose(response -> {
            int status = response.statusCode();
            if (status == 200 || status == 202) {
                JsonNode task = json(response);
                String id = task.path("id").asText();
                taskId.set(id);
                if (status == 202 && caller.isCancelled()) {
                    // Cancelled while the submission was on its way: nobody will wait for the task.
                    cancel(id);
                }
                return status == 200 ? CompletableFuture.completedFuture(task) : awaitEnd(id, caller);
            }
            Bundle bundle = known.get(String.valueOf(request.bundleIdToName()));
            if (status == 422 && isUnknownBundle(response) && !reuploaded && bundle != null) {
                LOG.debug("The server lost bundle {}; uploading it again", bundle.id());
                uploads.remove(bundle.id(), upload);
                CompletableFuture<Void> again = sharedUpload(bundle, true);
                return again.thenCompose(ok -> submit(request, again, true, taskId, caller));
            }
            return CompletableFuture.failedFuture(
                    refused("the submission of a " + request.function() + " task", response));
        });
    }

    private CompletableFuture<JsonNode> awaitEnd(String id, CompletableFuture<?> caller) {
        return awaitEnd(id, caller, 0);
    }

    /** Polls until the task ends; a poll lost with its connection is repeated, since a GET changes nothing. */
    private CompletableFuture<JsonNode> awaitEnd(String id, CompletableFuture<?> caller, int lostPolls) {
        return poll(id, caller).exceptionallyCompose(failure -> {
            boolean noAnswer = unwrap(failure) instanceof DistributeException e && e.status() == 0;
            if (!noAnswer || lostPolls >= MAX_LOST_POLLS || caller.isDone()) {
                return CompletableFuture.failedFuture(failure);
            }
            LOG.debug("Waiting for task {} lost its connection; asking again", id);
            return CompletableFuture.supplyAsync(
                            () -> null,
                            CompletableFuture.delayedExecutor(
                                    BUSY_BACKOFF.toMillis() << lostPolls, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> awaitEnd(id, caller, lostPolls + 1));
        });
    }

    private CompletableFuture<JsonNode> poll(String id, CompletableFuture<?> caller) {
        if (caller.isDone()) {
            return CompletableFuture.failedFuture(
                    new DistributeException("the caller stopped waiting for task " + id, 0, null, null));
        }
        HttpRequest get = request("/distribute/tasks/" + id + "?wait=" + WAIT, WAITING_REQUEST_TIMEOUT)
                .GET()
                .build();
        return send(get).thenCompose(response -> switch (response.statusCode()) {
            case 200 -> CompletableFuture.completedFuture(json(response));
            case 202 -> poll(id, caller);
            default -> CompletableFuture.failedFuture(refused("waiting for task " + id, response));
        });
    }

    private void cancel(String id) {
        HttpRequest delete =
                request("/distribute/tasks/" + id, REQUEST_TIMEOUT).DELETE().build();
        var _ = send(delete).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.debug("Cancelling task {} failed", id, failure);
            }
        });
    }

    /** Sends through the limiter, retrying 429 and 503 answers. */
    CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return send(request, 0);
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest request, int retry) {
        return limiter.submit(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(unreachable(request, failure)))
                .thenCompose(response -> {
                    int status = response.statusCode();
                    if ((status == 429 || status == 503) && retry < MAX_BUSY_RETRIES) {
                        Duration delay = delay(response, retry);
                        LOG.debug("{} {} answered {}; retrying in {}", request.method(), request.uri(), status, delay);
                        return CompletableFuture.supplyAsync(
                                        () -> null,
                                        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> send(request, retry + 1));
                    }
                    return CompletableFuture.completedFuture(response);
                });
    }

    /** The longer of the server's Retry-After and an exponential backoff with full jitter. */
    static Duration delay(HttpResponse<?> response, int retry) {
        long cap = Math.min(MAX_BUSY_BACKOFF.toMillis(), BUSY_BACKOFF.toMillis() << Math.min(retry, 20));
        Duration backoff = Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
        Duration retryAfter = retryAfter(response).orElse(Duration.ZERO);
        return retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static boolean isUnknownBundle(HttpResponse<String> response) {
        Problem problem = TaskOutcomes.problem(response.statusCode(), parse(response.body()));
        return problem != null && problem.type() != null && problem.type().endsWith(UNKNOWN_BUNDLE);
    }

    private static DistributeException refused(String what, HttpResponse<String> response) {
        int status = response.statusCode();
        Problem problem = TaskOutcomes.problem(status, parse(response.body()));
        String why = problem != null && problem.detail() != null ? problem.detail() : response.body();
        return new DistributeException(
                what + " was refused: HTTP " + status + (why == null || why.isEmpty() ? "" : ": " + why),
                status,
                problem,
                null);
    }

    private DistributeException unreachable(HttpRequest request, Throwable failure) {
        Throwable cause = unwrap(failure);
        return new DistributeException(
                "no answer from " + base + " to " + request.method() + " "
                        + request.uri().getPath() + ": " + cause,
                0,
                null,
                cause);
    }

    private static JsonNode json(HttpResponse<String> response) {
        JsonNode node = parse(response.body());
        if (node == null || !node.isObject()) {
            throw new DistributeException(
                    "the server's answer is not a task: " + response.body(), response.statusCode(), null, null);
        }
        return node;
    }

    private static @Nullable JsonNode parse(@Nullable String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    /** Stops at once: requests in flight (long polls included) fail, and their tasks' futures with them. */
    @Override
    public void close() {
        http.shutdownNow();
    }
}
