package io.switchboard.distribute;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Gives each test harness its own namespace on the NATS server, and removes it afterwards. */
final class JetStreamNamespaces {

    private JetStreamNamespaces() {}

    static String fresh(String server) {
        return server.replaceAll("/+$", "") + "/t"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Deletes the stream, buckets and object store of a namespaced queue URL; nothing for null. */
    static void delete(String url) {
        if (url == null || !url.matches("nats://[^/]+/t[0-9a-f]{8}")) {
            return;
        }
        String namespace = url.substring(url.lastIndexOf('/') + 1);
        String server = url.substring(0, url.lastIndexOf('/'));
        try (Connection connection = Nats.connect(server)) {
            JetStreamManagement management = connection.jetStreamManagement();
            String token = "_" + namespace;
            for (String stream : List.of(
                    "SWITCHBOARD_DISTRIBUTE" + token.toUpperCase(Locale.ROOT),
                    "KV_switchboard_distribute" + token + "_tasks",
                    "KV_switchboard_distribute" + token + "_nodes",
                    "OBJ_switchboard_distribute" + token + "_bundles")) {
                try {
                    management.deleteStream(stream);
                } catch (JetStreamApiException gone) {
                    // already absent
                }
            }
        } catch (IOException | InterruptedException e) {
            // the server went away: nothing left to clean
        }
    }
}
