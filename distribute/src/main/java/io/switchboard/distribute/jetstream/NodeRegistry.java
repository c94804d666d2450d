package io.switchboard.distribute.jetstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.switchboard.distribute.TaskJson;
import io.switchboard.distribute.dispatch.WorkerView;
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
        link.nodes().put(node, JSON.writeValueAsBytes(TaskJson.workers(workers)));
    }

    /** Every live node's slots, except {@code self}'s (the caller knows its own, fresher). */
    List<WorkerView> others(String self) throws IOException, JetStreamApiException, InterruptedException {
        List<WorkerView> all = new ArrayList<>();
        for (String node : link.nodes().keys()) {
            if (node.equals(self)) {
                continue;
            }
            KeyValueEntry entry = link.nodes().get(node);
            if (entry != null && entry.getOperation() == KeyValueOperation.PUT) {
                all.addAll(TaskJson.readWorkers(node, JSON.readTree(entry.getValue())));
            }
        }
        return all;
    }
}
