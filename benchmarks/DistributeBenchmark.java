import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.distribute.client.Distribute;
import io.switchboard.distribute.client.SerializableFunction;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Drives a running serve's distribute API for benchmarks/distribute.sh (run with the switchboard
 * jar on the class path, as a single-file program).
 *
 * <pre>
 *   scaling URL N            10·N tasks of sleep(1000 ms) on N workers: prints "N tasks seconds tasks/s ideal ratio"
 *   crash URL COUNT WORKERS  COUNT tasks while a busy worker is killed every 500 ms: prints lost/duplicate/outcome counts
 *   shared-crash URL_A URL_B COUNT STARTED  JetStream: COUNT tasks over 30 s, sent to two serve instances in
 *                            turn, while busy workers are killed; touches STARTED when sending begins (the script
 *                            then kills and restarts instance A): prints accepted, lost and re-executed counts
 *   chart RESULTS PNG        draws throughput against workers from scaling lines
 *   client URL SECONDS       the Java client: round trip of a shipped lambda (one caller), then async throughput
 * </pre>
 */
public final class DistributeBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "scaling" -> scaling(args[1], Integer.parseInt(args[2]));
            case "crash" -> crash(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "shared-crash" -> sharedCrash(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]));
            case "chart" -> chart(Path.of(args[1]), Path.of(args[2]));
            case "client" -> client(args[1], Duration.parse("PT" + args[2]));
            // A benchmark's queue namespace, removed afterwards: its streams and buckets would stay on
            // the server, and a server holding many slows every later run down.
            case "delete-namespace" -> io.switchboard.distribute.jetstream.JetStreamLink.deleteNamespace(args[1]);
            default -> throw new IllegalArgumentException("scaling | crash | shared-crash | chart | client | delete-namespace");
        }
    }

    /**
     * The Java client as users call it: a shipped lambda, first run() in a loop (one waiting caller;
     * p50/p99 of the round trip), then runAsync() with up to 256 calls in flight.
     */
    private static void client(String url, Duration length) throws Exception {
        try (Distribute sb = Distribute.connect(url, null)) {
            var identity = sb.computeThis(Identity.function());
            for (int i = 0; i < 2_000; i++) {
                identity.apply(i).run(); // warm-up of client, server and workers
            }
            List<Long> nanos = new ArrayList<>();
            long end = System.nanoTime() + length.toNanos();
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                identity.apply(1).run();
                nanos.add(System.nanoTime() - start);
            }
            Collections.sort(nanos);
            System.out.printf(
                    "client run() round trip: %d calls, %.0f calls/s, p50 %.3f ms, p99 %.3f ms%n",
                    nanos.size(),
                    nanos.size() / (length.toNanos() / 1e9),
                    nanos.get(nanos.size() / 2) / 1e6,
                    nanos.get((int) (nanos.size() * 0.99)) / 1e6);
            int count = 0;
            long start = System.nanoTime();
            end = start + length.toNanos();
            while (System.nanoTime() < end) {
                List<CompletableFuture<Integer>> wave = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    wave.add(identity.apply(i).runAsync());
                }
                CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).join();
                count += wave.size();
            }
            System.out.printf(
                    "client runAsync() throughput: %d calls, %.0f calls/s%n",
                    count, count / ((System.nanoTime() - start) / 1e9));
        }
    }

    private static void scaling(String url, int workers) throws Exception {
        int tasks = 10 * workers;
        long start = System.nanoTime();
        List<CompletableFuture<JsonNode>> ended = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            ended.add(submit(url, "{\"function\":\"sleep\",\"args\":[1000]}", "").thenCompose(t -> await(url, t)));
        }
        CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long ok = ended.stream().filter(f -> f.join().get("state").asText().equals("SUCCEEDED")).count();
        if (ok != tasks) {
            throw new IllegalStateException((tasks - ok) + " tasks did not succeed");
        }
        double throughput = tasks / seconds;
        System.out.printf("%d %d %.3f %.2f %d %.3f%n", workers, tasks, seconds, throughput, workers, throughput / workers);
    }

    /**
     * Submits COUNT short tasks, 64 in flight, while a thread kills a busy worker every 500 ms; then
     * checks that every accepted task ended, and how.
     */
    private static void crash(String url, int count, int workers) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        Thread killer = killBusyWorkers(url, running, kills);
        Semaphore inFlight = new Semaphore(64);
        Map<String, JsonNode> ended = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            all.add(submit(url, "{\"function\":\"sleep\",\"args\":[10],\"max_retries\":5}", "")
                    .thenCompose(t -> await(url, t))
                    .thenAccept(t -> ended.put(t.get("id").asText(), t))
                    .exceptionally(e -> {
                        refused.incrementAndGet();
                        return null;
                    })
                    .whenComplete((ignored, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        running.set(false);
        killer.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Double> retriedWaits = new ArrayList<>();
        for (JsonNode t : ended.values()) {
            String outcome = t.get("state").asText()
                    + (t.has("error") ? "/" + t.get("error").get("kind").asText() : "");
            outcomes.merge(outcome, 1, Integer::sum);
            if (t.get("attempts").asInt() > 1) {
                retriedWaits.add(t.get("queue_wait_ms").asDouble());
            }
        }
        long retried = retriedWaits.size();
        Collections.sort(retriedWaits);
        System.out.printf(
                "tasks %d accepted %d ended %d lost %d refused %d in %.1f s; kills %d; retried tasks %d; outcomes %s%n",
                count, ended.size() + 0, ended.size(), count - refused.get() - ended.size(), refused.get(), seconds,
                kills.get(), retried, outcomes);
        if (!retriedWaits.isEmpty()) {
            System.out.printf(
                    "re-dispatch: retried tasks waited (all attempts' queue time) p50 %.1f ms, max %.1f ms%n",
                    retriedWaits.get(retriedWaits.size() / 2), retriedWaits.get(retriedWaits.size() - 1));
        }
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double replacements = metric(metrics, "switchboard_distribute_worker_replacement_seconds_count");
        double sum = metric(metrics, "switchboard_distribute_worker_replacement_seconds_sum");
        double max = metric(metrics, "switchboard_distribute_worker_replacement_seconds_max");
        System.out.printf(
                "worker replacement (loss -> replacement connected): %d times, mean %.0f ms, max %.0f ms%n",
                (long) replacements, replacements == 0 ? 0 : 1000 * sum / replacements, 1000 * max);
    }

    /**
     * Two serve instances on one JetStream queue. Tasks go to A and B in turn (a refused or failed
     * submission is not accepted and not counted as lost); busy workers are killed every 500 ms; the
     * script kills and restarts A meanwhile. Afterwards every accepted task is read from B: lost =
     * accepted tasks that never ended; re-executions = attempts beyond the first, summed.
     */
    private static void sharedCrash(String a, String b, int count, Path started) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        Thread killer = killBusyWorkers(b, running, kills); // B answers while A restarts
        Semaphore inFlight = new Semaphore(64);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failedOver = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        String task = "{\"function\":\"sleep\",\"args\":[10],\"max_retries\":5}";
        long start = System.nanoTime();
        long spacingNanos = Duration.ofSeconds(30).toNanos() / count;
        Files.writeString(started, "started\n");
        for (int i = 0; i < count; i++) {
            // Paced over 30 s, so that instance A dies and comes back while tasks keep arriving.
            long due = start + i * spacingNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            inFlight.acquire();
            String url = i % 2 == 0 ? a : b;
            String other = url.equals(a) ? b : a;
            all.add(submit(url, task, "")
                    .exceptionallyCompose(e -> {
                        // The instance is down: a client fails over to the other one.
                        failedOver.incrementAndGet();
                        return submit(other, task, "");
                    })
                    .thenAccept(t -> accepted.add(t.get("id").asText()))
                    .exceptionally(e -> {
                        refused.incrementAndGet();
                        return null;
                    })
                    .whenComplete((ignored, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        Map<String, Integer> outcomes = new ConcurrentSkipListMap<>();
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger reExecutions = new AtomicInteger();
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (String id : accepted) {
            inFlight.acquire();
            reads.add(await(b, parse("{\"id\":\"" + id + "\",\"state\":\"QUEUED\"}"))
                    .thenAccept(t -> {
                        ended.incrementAndGet();
                        reExecutions.addAndGet(Math.max(0, t.get("attempts").asInt() - 1));
                        String outcome = t.get("state").asText()
                                + (t.has("error") ? "/" + t.get("error").get("kind").asText() : "");
                        outcomes.merge(outcome, 1, Integer::sum);
                    })
                    .exceptionally(e -> null)
                    .whenComplete((ignored, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
        running.set(false);
        killer.join();
        System.out.printf(
                "tasks %d: accepted %d (%d after failing over from a down instance), refused %d, ended %d, lost %d "
                        + "in %.1f s; worker kills %d; re-executions %d; outcomes %s%n",
                count,
                accepted.size(),
                failedOver.get(),
                refused.get(),
                ended.get(),
                accepted.size() - ended.get(),
                (System.nanoTime() - start) / 1e9,
                kills.get(),
                reExecutions.get(),
                outcomes);
    }

    /**
     * Kills one busy worker (by the pid the listing gives) every 500 ms while {@code running}; a
     * listing that fails (an instance restarting) just skips one kill.
     */
    private static Thread killBusyWorkers(String url, AtomicBoolean running, AtomicInteger kills) {
        return Thread.ofPlatform().start(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(500); // the kill cadence under test, not synchronisation
                    for (JsonNode w : get(url + "/distribute/workers").get("workers")) {
                        if (w.get("state").asText().equals("BUSY") && w.hasNonNull("pid")) {
                            ProcessHandle.of(w.get("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
                            kills.incrementAndGet();
                            break;
                        }
                    }
                } catch (Exception e) {
                    if (running.get()) {
                        System.err.println("killer: " + e);
                    }
                }
            }
        });
    }

    private static double metric(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static CompletableFuture<JsonNode> submit(String url, String body, String query) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/distribute/tasks" + query))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
            }
            return parse(r.body());
        });
    }

    private static CompletableFuture<JsonNode> await(String url, JsonNode task) {
        String state = task.get("state").asText();
        if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
            return CompletableFuture.completedFuture(task);
        }
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(url + "/distribute/tasks/" + task.get("id").asText() + "?wait=60s"))
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> parse(r.body()))
                .thenCompose(t -> await(url, t));
    }

    private static JsonNode get(String url) throws Exception {
        return parse(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static void chart(Path results, Path png) throws Exception {
        XYSeries measured = new XYSeries("measured tasks/s");
        XYSeries ideal = new XYSeries("ideal (N tasks/s)");
        for (String line : Files.readAllLines(results)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].matches("\\d+")) {
                continue;
            }
            measured.add(Integer.parseInt(f[0]), Double.parseDouble(f[3]));
            ideal.add(Integer.parseInt(f[0]), Integer.parseInt(f[0]));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(measured);
        data.addSeries(ideal);
        JFreeChart chart = ChartFactory.createXYLineChart(
                "distribute: throughput of 1 s tasks against workers (10 tasks per worker)",
                "workers",
                "tasks per second",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        ChartUtils.saveChartAsPNG(new File(png.toString()), chart, 900, 520);
        System.out.println("chart: " + png);
    }

    /** The shipped function, in a class of its own: its capturing class travels with it, so keep it small. */
    static final class Identity {
        static SerializableFunction<Integer, Integer> function() {
            return x -> x;
        }
    }
}
