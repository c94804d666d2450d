package io.switchboard.app.lunch;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.mock.menu.MenuMockConfig;
import io.switchboard.mock.menu.MenuMockService;
import io.switchboard.platform.testing.RunningPlatform;
import io.switchboard.relay.RelayConfig;
import io.switchboard.relay.RelayService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The lunch command against a real relay in front of the mock menu backend, as serve wires them. */
class LunchCommandTest {

    private static RunningPlatform serve;

    @BeforeAll
    static void startRelayWithMock() {
        serve = RunningPlatform.start(
                new MenuMockService(MenuMockConfig.defaults("/_mock/menu")),
                new RelayService(RelayConfig.defaults(URI.create("http://127.0.0.1:0/_mock/menu/api"))
                        .withDefaultTtl(Duration.ofMinutes(5))));
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    /** Exit code, stdout and stderr of one run. */
    record Run(int exit, String out, String err) {}

    private static Run lunch(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new LunchCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.startsWith("--url"))) {
            all.add("--url=http://127.0.0.1:" + serve.port());
        }
        int exit = commandLine.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void withoutArgumentsItListsRestaurantIdentifiersAndNames() {
        Run run = lunch();

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("bistro-j", "Bistro J", "elma", "Elma Brasserie", "(Solna)");
        assertThat(run.out().lines()).hasSize(5);
    }

    @Test
    void anIdentifierPrintsThatRestaurantsDishesUnderItsNameAndPlace() {
        Run run = lunch("nanna-svartz");

        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .startsWith("Restaurang Nanna Svartz — Solna  [nanna-svartz]")
                .contains("  * Swedish meatballs with lingonberries", "  * Salmon with dill potatoes");
    }

    @Test
    void aUniquePartOfANameIsEnough() {
        Run run = lunch("räfven");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Svarta Räfven — Uppsala", "Halloumi burger");
    }

    @Test
    void anAmbiguousNameFailsInOneLineListingTheCandidates() {
        Run run = lunch("sv");

        assertThat(run.exit()).isEqualTo(LunchCommand.FAILED);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err()).contains("ambiguous", "nanna-svartz", "svarta-rafven");
    }

    @Test
    void anUnknownRestaurantFailsInOneLine() {
        Run run = lunch("nowhere");

        assertThat(run.exit()).isEqualTo(LunchCommand.FAILED);
        assertThat(run.err()).startsWith("lunch: no restaurant matches 'nowhere'");
    }

    @Test
    void allPrintsEveryRestaurantsDishesAndSaysWhenThereAreNone() {
        Run run = lunch("--all");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Bistro J", "Fish soup", "Elma Brasserie", "Schnitzel", "Tyttis Kök");
        assertThat(run.out()).contains("no dishes listed today");
    }

    @Test
    void jsonOutputIsForScripts() {
        Run list = lunch("--json");
        Run one = lunch("--json", "elma");

        JsonArray restaurants = new JsonArray(list.out());
        assertThat(restaurants.size()).isEqualTo(5);
        assertThat(restaurants.getJsonObject(1).getString("location")).isEqualTo("Solna");
        JsonObject menu = new JsonObject(one.out());
        assertThat(menu.getString("identifier")).isEqualTo("elma");
        assertThat(menu.getJsonArray("dishes")).contains("Pasta with roasted tomatoes");
    }

    @Test
    void anUnreachableServerFailsInOneLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = lunch("--url", "http://127.0.0.1:" + closedPort);

        assertThat(run.exit()).isEqualTo(LunchCommand.FAILED);
        assertThat(run.err()).startsWith("lunch: cannot reach http://127.0.0.1:" + closedPort + "/restaurant");
        assertThat(run.err().strip().lines()).hasSize(1);
    }
}
