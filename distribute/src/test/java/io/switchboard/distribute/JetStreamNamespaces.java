package io.switchboard.distribute;

import io.switchboard.distribute.jetstream.JetStreamLink;
import java.io.IOException;
import java.util.UUID;

/** Gives each test harness its own namespace on the NATS server, and removes it afterwards. */
final class JetStreamNamespaces {

    private JetStreamNamespaces() {}

    static String fresh(String server) {
        return server.replaceAll("/+$", "") + "/t"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Deletes what a namespaced queue URL holds on the server; nothing for the in-process queue. */
    static void delete(String url) {
        if (url == null) {
            return;
        }
        try {
            JetStreamLink.deleteNamespace(url);
        } catch (IOException e) {
            // the server went away: nothing left to clean
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
