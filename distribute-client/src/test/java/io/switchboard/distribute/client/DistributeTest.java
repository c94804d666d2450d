package io.switchboard.distribute.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.shipping.Lambdas;
import com.example.shipping.Point;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.distribute.client.StubServer.Reply;
import io.switchboard.distribute.client.StubServer.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP flow against a stub server on port 0 that runs tasks with a fake worker. */
class DistributeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "test-token";

    final FakeDistribute fake = new FakeDistribute();
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aSquareShippedAsALambdaRunsOnTheWorkerAndReturnsFour() throws Exception {
        StubServer server = start(fake::answer);
        Distribute sb = connect(server);

        RemoteFunction<Integer, Integer> square = sb.computeThis(Lambdas.square());
        int out = square.apply(2).run();

        assertThat(out).isEqualTo(4);
        assertThat(server.lines())
                .containsExactly(
                        "HEAD /distribute/bundles/" + square.bundleId(),
                        "PUT /distribute/bundles/" + square.bundleId(),
                        "POST /distribute/tasks?wait=60s");
        JsonNode body = JSON.readTree(server.requests().get(2).body());
        assertThat(body.path("function").asText()).isEqualTo("java");
        assertThat(body.path("bundle").asText()).isEqualTo(square.bundleId());
        assertThat(body.path("payload").asText()).isNotEmpty();
    }

    @Test
    void everyRequestCarriesTheBearerTokenAndNoneWithoutAToken() throws Exception {
        StubServer server = start(fake::answer);
        connect(server).computeThis(Lambdas.square()).apply(3).run();
        Distribute anonymous = Distribute.connect(server.uri(), null);
        toClose.add(anonymous);
        anonymous.call("echo", 1).run();

        List<Request> requests = server.requests();
        assertThat(requests.subList(0, 3)).allMatch(r -> ("Bearer " + TOKEN).equals(r.authorization()));
        assertThat(requests.get(3).authorization()).isNull();
    }

    @Test
    void aBundleIsUploadedOnceForManyConcurrentTasks() {
        StubServer server = start(fake::answer);
        RemoteFunction<Integer, Integer> square = connect(server).computeThis(Lambdas.square());

        List<CompletableFuture<Integer>> futures = IntStream.range(0, 200)
                .mapToObj(i -> square.apply(i).runAsync())
                .toList();

        assertThat(futures.stream().map(CompletableFuture::join).toList())
                .isEqualTo(IntStream.range(0, 200).map(i -> i * i).boxed().toList());
        assertThat(server.lines()).filteredOn(line -> line.startsWith("PUT")).hasSize(1);
        assertThat(server.lines()).filteredOn(line -> line.startsWith("HEAD")).hasSize(1);
    }

    @Test
    void aTaskStillRunningIsPolledUntilItEnds() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        StubServer server = start(request -> switch (request.method() + " " + request.path()) {
            case "POST /distribute/tasks" -> Reply.json(202, "{\"id\":\"t7\",\"state\":\"QUEUED\"}");
            case "GET /distribute/tasks/t7" ->
                polls.incrementAndGet() < 2
                        ? Reply.json(202, "{\"id\":\"t7\",\"state\":\"RUNNING\"}")
                        : Reply.json(
                                200,
                                "{\"id\":\"t7\",\"state\":\"SUCCEEDED\",\"result\":[\"hi\"],"
                                        + "\"result_encoding\":\"json\",\"attempts\":1,\"worker\":\"w-2\"}");
            default -> Reply.empty(404);
        });

        JsonNode out = connect(server).call("echo", "hi").run();

        assertThat(out.toString()).isEqualTo("[\"hi\"]");
        assertThat(server.lines())
                .containsExactly(
                        "POST /distribute/tasks?wait=60s",
                        "GET /distribute/tasks/t7?wait=60s",
                        "GET /distribute/tasks/t7?wait=60s");
    }

    @Test
    void aPollLostWithItsConnectionIsAskedAgain() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        StubServer server = start(request -> switch (request.method()) {
            case "POST" -> Reply.json(202, "{\"id\":\"t8\",\"state\":\"QUEUED\"}");
            case "GET" ->
                polls.incrementAndGet() == 1
                        ? Reply.drop()
                        : Reply.json(
                                200,
                                "{\"id\":\"t8\",\"state\":\"SUCCEEDED\",\"result\":1,"
                                        + "\"result_encoding\":\"json\"}");
            default -> Reply.empty(404);
        });

        assertThat(connect(server).call("noop").run().asInt()).isEqualTo(1);
        assertThat(server.lines()).filteredOn(line -> line.startsWith("GET")).hasSize(2);
    }

    @Test
    void aBundleTheServerEvictedIsUploadedAgainAndTheTaskResubmittedOnce() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        StubServer server = start(request -> {
            if (request.method().equals("HEAD")) {
                return Reply.empty(200); // The server still had it when asked...
            }
            if (request.method().equals("POST") && posts.incrementAndGet() == 1) {
                return Reply.problem(422, "unknown-bundle", "no such bundle", "bundle"); // ...then evicted it.
            }
            return fake.answer(request);
        });
        RemoteFunction<Integer, Integer> square = connect(server).computeThis(Lambdas.square());

        assertThat(square.apply(5).run()).isEqualTo(25);
        assertThat(server.lines())
                .containsExactly(
                        "HEAD /distribute/bundles/" + square.bundleId(),
                        "POST /distribute/tasks?wait=60s",
                        "PUT /distribute/bundles/" + square.bundleId(),
                        "POST /distribute/tasks?wait=60s");
    }

    @Test
    void aSecondUnknownBundleAnswerFailsInsteadOfLooping() {
        StubServer server = start(request -> request.method().equals("POST")
                ? Reply.problem(422, "unknown-bundle", "no such bundle", "bundle")
                : fake.answer(request));
        RemoteCall<Integer> call = connect(server).computeThis(Lambdas.square()).apply(5);

        assertThatThrownBy(call::run).isInstanceOfSatisfying(DistributeException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.problem().parameter()).isEqualTo("bundle");
        });
        assertThat(server.lines()).filteredOn(line -> line.startsWith("POST")).hasSize(2);
    }

    @Test
    void aFullQueueIsRetriedAfterRetryAfter() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        StubServer server = start(request -> posts.incrementAndGet() == 1
                ? Reply.problem(429, "queue-full", "the queue is full", null).withHeader("Retry-After", "1")
                : fake.answer(request));

        JsonNode out = connect(server).call("echo", "again").run();

        assertThat(out.toString()).isEqualTo("[\"again\"]");
        List<Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).nanoTime() - requests.get(0).nanoTime()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void whatTheFunctionThrowsArrivesAsTaskFailedWithTheRemoteStackAndCauses() {
        StubServer server = start(fake::answer);
        RemoteCall<Integer> call =
                connect(server).computeThis(Lambdas.failing()).apply(3);

        assertThatThrownBy(call::run).isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.kind()).isEqualTo(TaskFailedException.Kind.USER);
            assertThat(e.worker()).isEqualTo("w-1");
            RemoteException remote = e.remoteException();
            assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
            assertThat(remote.getMessage()).isEqualTo("boom 3");
            assertThat(remote.toString()).isEqualTo("java.lang.IllegalStateException: boom 3");
            assertThat(remote.getStackTrace()[0].getClassName()).isEqualTo("com.example.shipping.Lambdas");
            assertThat(remote.getStackTrace()[0].getMethodName()).startsWith("lambda$failing$");
            assertThat(remote.getCause()).isInstanceOfSatisfying(RemoteException.class, cause -> {
                assertThat(cause.remoteClassName()).isEqualTo("java.lang.IllegalArgumentException");
                assertThat(cause.getMessage()).isEqualTo("root");
            });
        });
    }

    @Test
    void runWithOutputTellsWhereAndHowLongTheTaskRan() {
        StubServer server = start(fake::answer);

        RemoteResult<Point> result = connect(server)
                .computeThis(Lambdas.mirror())
                .apply(new Point(1, 2))
                .runWithOutput();

        assertThat(result.value()).isEqualTo(new Point(2, 1));
        assertThat(result.stdout()).isEqualTo("out");
        assertThat(result.worker()).isEqualTo("w-1");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.queueWait()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(result.runTime()).isEqualTo(Duration.ofNanos(1_500_000));
    }

    @Test
    void suppliersAndBiFunctionsRunToo() {
        StubServer server = start(fake::answer);
        Distribute sb = connect(server);

        assertThat(sb.computeThis(Lambdas.greeting("ada")).get().run()).isEqualTo("hello ada");
        assertThat(sb.computeThis(Lambdas.add()).apply(2, 3).run()).isEqualTo(5);
    }

    @Test
    void optionsTravelInTheTaskBody() throws Exception {
        StubServer server = start(fake::answer);

        connect(server)
                .call("echo", "x")
                .withTimeout(Duration.ofSeconds(2))
                .withMaxRetries(0)
                .withRetryExceptions(true)
                .run();

        JsonNode body = JSON.readTree(server.requests().getFirst().body());
        assertThat(body.path("timeout_ms").asLong()).isEqualTo(2000);
        assertThat(body.path("max_retries").asInt()).isZero();
        assertThat(body.path("retry_exceptions").asBoolean()).isTrue();
        assertThat(body.path("args").toString()).isEqualTo("[\"x\"]");
    }

    @Test
    void aStaticMethodIsCalledByNameInTheBundleOfItsClass() throws Exception {
        StubServer server = start(fake::answer);

        connect(server).call(com.example.shipping.Helper.class, "twice", 4).run();

        JsonNode body = JSON.readTree(server.requests().getLast().body());
        assertThat(body.path("function").asText()).isEqualTo("com.example.shipping.Helper::twice");
        assertThat(fake.bundles).containsKey(body.path("bundle").asText());
    }

    @Test
    void aRefusalCarriesTheStatusAndTheProblem() {
        StubServer server = start(request -> Reply.problem(400, "bad-request", "unknown function 'nope'", "function"));

        assertThatThrownBy(() -> connect(server).call("nope").run())
                .isInstanceOfSatisfying(DistributeException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problem().detail()).isEqualTo("unknown function 'nope'");
                    assertThat(e.problem().requestId()).isEqualTo("r-1");
                    assertThat(e.getMessage())
                            .isEqualTo("the submission of a nope task was refused: HTTP 400: unknown function 'nope'");
                });
    }

    @Test
    void anUnreachableServerFailsWithStatusZero() {
        StubServer server = start(fake::answer);
        Distribute sb = connect(server);
        server.close();

        assertThatThrownBy(() -> sb.call("echo").run())
                .isInstanceOfSatisfying(
                        DistributeException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void aCallOnAClosedClientFailsWithStatusZero() {
        StubServer server = start(fake::answer);
        Distribute sb = connect(server);
        RemoteCall<Integer> call = sb.computeThis(Lambdas.square()).apply(2);
        sb.close();

        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        DistributeException.class, e -> assertThat(e.status()).isZero());
        assertThat(server.lines()).isEmpty();
    }

    @Test
    void cancellingTheFutureDeletesTheTaskOnTheServer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StubServer server = start(request -> switch (request.method()) {
            case "POST" -> Reply.json(202, "{\"id\":\"t9\",\"state\":\"RUNNING\"}");
            case "GET" -> {
                awaitQuietly(release);
                yield Reply.json(202, "{\"id\":\"t9\",\"state\":\"RUNNING\"}");
            }
            case "DELETE" -> Reply.json(200, "{\"id\":\"t9\",\"state\":\"CANCELLED\"}");
            default -> Reply.empty(404);
        });
        toClose.add(release::countDown);
        CompletableFuture<JsonNode> future =
                connect(server).call("sleep", 60_000).runAsync();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.lines().contains("GET /distribute/tasks/t9?wait=60s"));

        future.cancel(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> server.lines().contains("DELETE /distribute/tasks/t9"));
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedNamingIt() {
        assertThatThrownBy(() -> Distribute.connect("ftp://127.0.0.1:8080", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("url must look like http://host:port, was ftp://127.0.0.1:8080");
    }

    @Test
    void callByNameRefusesJavaAndClassMethodNames() {
        Distribute sb = Distribute.connect("http://127.0.0.1:9", null);
        toClose.add(sb);

        assertThatThrownBy(() -> sb.call("com.example.Tasks::square", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("call(String, ...) runs built-in functions, not 'com.example.Tasks::square': "
                        + "ship Java with computeThis, call(Class, method, ...) or callInBundle");
        assertThatThrownBy(() -> sb.call(String.class, "valueOf", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "java.lang.String is the JDK's or this client's: workers call only classes shipped in a bundle");
    }

    @Test
    void anUploadTheServerRefusesFailsTheCallWithItsStatus() {
        StubServer server = start(request -> request.method().equals("PUT")
                ? Reply.problem(413, "too-large", "the body exceeds 1048576 bytes", null)
                : fake.answer(request));
        RemoteCall<Integer> call = connect(server).computeThis(Lambdas.square()).apply(2);

        assertThatThrownBy(call::run).isInstanceOfSatisfying(DistributeException.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.getMessage())
                    .matches("the upload of bundle [0-9a-f]{64} \\(\\d+ bytes\\) was refused: "
                            + "HTTP 413: the body exceeds 1048576 bytes");
        });
    }

    private StubServer start(Function<Request, Reply> script) {
        try {
            StubServer server = new StubServer(script);
            toClose.add(server);
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Distribute connect(StubServer server) {
        Distribute sb = Distribute.connect(server.uri().toString(), TOKEN);
        toClose.add(sb);
        return sb;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
