package io.switchboard.app.distribute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.distribute.bundle.BundleStore;
import io.switchboard.distribute.client.Distribute;
import io.switchboard.distribute.client.DistributeException;
import io.switchboard.distribute.client.TaskFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard distribute}: deploy a jar and run functions by name from a shell, and look at
 * the workers, through the same HTTP API (and Java client) other programs use.
 */
@Command(
        name = "distribute",
        mixinStandardHelpOptions = true,
        description = "Client of distribute: deploy a jar, run a function by name, list workers and stats.",
        subcommands = {
            DistributeCommand.Deploy.class,
            DistributeCommand.Run.class,
            DistributeCommand.Workers.class,
            DistributeCommand.Stats.class
        })
public final class DistributeCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the server is and how to authenticate; shared by the subcommands. */
    static final class Server {
        @Option(
                names = "--url",
                defaultValue = "http://127.0.0.1:8080",
                description = "Base URL of serve (env DISTRIBUTE_URL; default ${DEFAULT-VALUE}).")
        URI url;

        @Option(
                names = "--token",
                description = "A distribute token, one of serve's DISTRIBUTE_TOKENS (env DISTRIBUTE_TOKEN).")
        String token;

        HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(60));
            if (token != null && !token.isBlank()) {
                builder.header("Authorization", "Bearer " + token);
            }
            return builder;
        }

        String send(HttpRequest request, int... expected) throws IOException, InterruptedException {
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                for (int status : expected) {
                    if (response.statusCode() == status) {
                        return response.body();
                    }
                }
                throw new IllegalStateException(
                        "the server answered " + response.statusCode() + ": " + response.body());
            }
        }
    }

    @Command(
            name = "deploy",
            mixinStandardHelpOptions = true,
            description = "Uploads a jar of classes; prints its bundle id, which 'run --bundle' and tasks name.")
    static final class Deploy implements Callable<Integer> {
        @Mixin
        Server server;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "JAR", description = "The jar whose public static methods become callable.")
        Path jar;

        @Override
        public Integer call() throws Exception {
            byte[] bytes = Files.readAllBytes(jar);
            String id = BundleStore.sha256(bytes);
            server.send(
                    server.request("/distribute/bundles/" + id)
                            .header("Content-Type", "application/java-archive")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                            .build(),
                    200,
                    201);
            spec.commandLine().getOut().println(id);
            return 0;
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Runs a function and prints its JSON result: a built-in (noop, echo, sleep, fail) or",
                "com.example.Tasks::square of a deployed jar (--bundle). Exit code 1 when it failed."
            })
    static final class Run implements Callable<Integer> {
        @Mixin
        Server server;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FUNCTION", description = "Built-in name or Class::method.")
        String function;

        @Parameters(
                index = "1..*",
                paramLabel = "ARG",
                description = "Arguments, each JSON (42, \"text\", [1,2], {\"a\":1}); other words are strings.")
        List<String> args = List.of();

        @Option(names = "--bundle", description = "Bundle id of the jar holding Class::method (from 'deploy').")
        String bundle;

        @Override
        public Integer call() {
            Object[] values = args.stream().map(Run::jsonOrText).toArray();
            try (Distribute sb = Distribute.connect(server.url, server.token)) {
                JsonNode result = bundle == null
                        ? sb.call(function, values).run()
                        : sb.callInBundle(bundle, function, values).run();
                JsonNode shown = Objects.requireNonNull(result, "a JSON result decodes to a node, NullNode for null");
                spec.commandLine().getOut().println(shown.toPrettyString());
                return 0;
            } catch (TaskFailedException e) {
                spec.commandLine().getErr().println("distribute run: " + e.kind() + ": " + e.getMessage());
                return 1;
            } catch (DistributeException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        private static Object jsonOrText(String arg) {
            try {
                return JSON.readTree(arg);
            } catch (IOException e) {
                return arg;
            }
        }
    }

    /** Prints one of the server's JSON read-outs; {@code workers} and {@code stats} differ only in the path. */
    abstract static class ReadOut implements Callable<Integer> {
        @Mixin
        Server server;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String path();

        @Override
        public Integer call() throws Exception {
            String body = server.send(server.request(path()).GET().build(), 200);
            spec.commandLine().getOut().println(JSON.readTree(body).toPrettyString());
            return 0;
        }
    }

    @Command(name = "workers", mixinStandardHelpOptions = true, description = "Lists the worker slots as JSON.")
    static final class Workers extends ReadOut {
        @Override
        String path() {
            return "/distribute/workers";
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Prints queue and task counts as JSON.")
    static final class Stats extends ReadOut {
        @Override
        String path() {
            return "/distribute/stats";
        }
    }
}
