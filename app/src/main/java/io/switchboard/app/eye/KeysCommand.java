package io.switchboard.app.eye;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.eye.ApiKeys;
import io.switchboard.eye.EyeStorage;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard eye keys create|list|revoke}: the applications' API keys, in the eye's
 * database. Only hashes are stored; a created key is printed once. A running server notices a
 * revocation within a few seconds (its key cache expires).
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manages the API keys applications send events with.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code eye keys create APPLICATION [--scope application|reader|admin]}: prints the new key on stdout. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a key; prints it once.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions db;

        @Parameters(
                paramLabel = "APPLICATION",
                description = "Name of the application (or, for reader keys, of who reads), e.g. web-frontend.")
        String application;

        @Option(
                names = "--scope",
                defaultValue = "application",
                description = "application: sends and reads its own application's events; reader: reads every "
                        + "application's events, sends none; admin: both (default ${DEFAULT-VALUE}).")
        String scope;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ApiKeys.Scope parsed = ApiKeys.Scope.of(scope);
            try (EyeStorage storage = db.open()) {
                ApiKeys.CreatedKey key = storage.apiKeys().create(application, parsed);
                spec.commandLine().getOut().println(key.key());
                spec.commandLine()
                        .getErr()
                        .println("created key " + key.keyId() + " (scope " + parsed.label() + ") for application "
                                + application + "; it is shown only now, store it");
                return 0;
            }
        }
    }

    /** {@code eye keys list}: ids, applications and dates; never the keys. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists keys (never the keys themselves).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DatabaseOptions db;

        @Option(
                names = "--json",
                description = "Prints a JSON array of {key_id, application, scope, created, revoked} for scripts.")
        boolean json;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (EyeStorage storage = db.openExisting()) {
                List<ApiKeys.ApiKey> keys = storage.apiKeys().list();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(asJson(keys));
                    return 0;
                }
                out.printf("%-14s %-24s %-12s %-28s %s%n", "KEY_ID", "APPLICATION", "SCOPE", "CREATED", "REVOKED");
                for (ApiKeys.ApiKey key : keys) {
                    out.printf(
                            "%-14s %-24s %-12s %-28s %s%n",
                            key.keyId(),
                            key.application(),
                            key.scope().label(),
                            key.created(),
                            key.revoked() == null ? "-" : key.revoked());
                }
                return 0;
            }
        }
    }

    /** The keys as a JSON array; times as ISO 8601, {@code revoked} null while a key is valid. */
    static String asJson(List<ApiKeys.ApiKey> keys) {
        ArrayNode array = JSON.createArrayNode();
        for (ApiKeys.ApiKey key : keys) {
            ObjectNode node = array.addObject()
                    .put("key_id", key.keyId())
                    .put("application", key.application())
                    .put("scope", key.scope().label())
                    .put("created", key.created().toString());
            if (key.revoked() == null) {
                node.putNull("revoked");
            } else {
                node.put("revoked", key.revoked().toString());
            }
        }
        return array.toString();
    }

    /** {@code eye keys revoke KEY_ID|APPLICATION}: exit 1 when nothing matched. */
    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes a key by its id, or every key of an application by its name.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        DatabaseOptions db;

        @Parameters(
                paramLabel = "KEY_ID|APPLICATION",
                description = "A key id from 'eye keys list', or an application.")
        String target;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (EyeStorage storage = db.openExisting()) {
                int revoked = storage.apiKeys().revoke(target);
                spec.commandLine().getOut().println("revoked " + revoked + " key" + (revoked == 1 ? "" : "s"));
                return revoked == 0 ? 1 : 0;
            }
        }
    }
}
