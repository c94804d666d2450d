package io.switchboard.distribute.jetstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.switchboard.distribute.dispatch.WorkerView;
import io.switchboard.distribute.json.TaskJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which worker slots exist across machines: each node writes its own listing under its id every
 * few seconds; a node that stops writing disappears with the bucket's time to live.
 */
final class NodeRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JetStreamLink link;

    NodeRegistry(JetStreamLink link) {
        this.link = link;
    }

    void publish(String node, List<WorkerView> workers) throws IOException, JetStreamApiException {
        ObjectNode listing = TaskJson.workers(workers);
        listing.put("node", node);
        link.nodes().put(key(node), JSON.writeValueAsBytes(listing));
    }

    /** Node ids name hosts ({@code serve-42@db-1}); keys allow letters, digits and {@code -/_=.} only. */
    private static String key(String node) {
        return node.replaceAll("[^-/_=.a-zA-Z0-9]", "_");
    }

    /** Every live node's slots, except {@code self}'s (the caller knows its own, fresher). */
    List<WorkerView> others(String self) throws IOException, JetStreamApiException, InterruptedException {
        List<WorkerView> all = new ArrayList<>();
        for (String key : link.nodes().keys()) {
            if (key.equals(key(self))) {
                continue;
            }
            KeyValueEntry entry = link.nodes().get(key);
            if (entry != null && entry.getOperation() == KeyValueOperation.PUT) {
                JsonNode listing = JSON.readTree(entry.getValue());
                all.addAll(TaskJson.readWorkers(listing.path("node").asText(key), listing));
            }
        }
        return all;
    }
}
