package io.switchboard.distribute.jetstream;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.switchboard.distribute.dispatch.Language;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One connection to NATS and the JetStream objects distribute keeps there, created on first use by
 * whichever process connects first and shared by every {@code serve} and worker node:
 *
 * <ul>
 *   <li>stream {@code SWITCHBOARD_DISTRIBUTE}, work-queue retention, file storage: the queued tasks, one subject
 *       per task ({@code switchboard.distribute.task.java.<id>}, {@code ….python.<id>}); a message
 *       leaves it when a node acks the task's end;
 *   <li>durable pull consumers {@code tasks-java} and {@code tasks-python}: every node pulls from
 *       them as many tasks as it has idle worker slots;
 *   <li>key-value bucket {@code switchboard_distribute_tasks}: each task's latest state by id, so any instance
 *       answers {@code GET /distribute/tasks/{id}}; entries expire after the retention;
 *   <li>key-value bucket {@code switchboard_distribute_nodes}: each node's worker slots, refreshed every few
 *       seconds, for {@code GET /distribute/workers};
 *   <li>object store {@code switchboard_distribute_bundles}: shipped jars, so a node fetches a bundle uploaded to
 *       another instance;
 *   <li>plain subjects {@code switchboard.distribute.ended} (a task's final state, to wake waiting clients on
 *       every instance) and {@code switchboard.distribute.cancel} (a task id whose running attempt must stop).
 * </ul>
 *
 * <p>A namespace in the URL's path ({@code nats://host:4222/staging}) gives every name a suffix, so
 * independent deployments share one NATS server ({@link QueueNames}).
 */
public final class JetStreamLink implements AutoCloseable {

    /**
     * How long a node may hold a task without a sign of life before JetStream gives it to another
     * node. Nodes send an in-progress ack every third of it while the task runs, so only a node
     * that died (or lost NATS) lets it pass.
     */
    static final Duration ACK_WAIT = Duration.ofSeconds(10);

    /** How long a node's worker listing stays visible after its last refresh. */
    static final Duration NODE_TTL = Duration.ofSeconds(10);

    /** The queue's size when a worker node creates it before any serve instance did. */
    private static final int DEFAULT_CAPACITY = 100_000;

    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final KeyValue tasks;
    private final KeyValue nodes;
    private final ObjectStore bundles;
    private final String server;
    private final QueueNames names;
    private final TaskEnds ends;

    private JetStreamLink(Connection connection, String server, QueueNames names, int capacity, Duration retention)
            throws IOException, JetStreamApiException {
        this.connection = connection;
        this.server = server;
        this.names = names;
        this.management = connection.jetStreamManagement();
        this.jetStream = connection.jetStream();
        ensureStream(capacity);
        for (Language language : Language.values()) {
            ensureConsumer(language, capacity);
        }
        ensureBucket(names.tasksBucket(), retention);
        ensureBucket(names.nodesBucket(), NODE_TTL);
        ensureObjectStore();
        this.tasks = connection.keyValue(names.tasksBucket());
        this.nodes = connection.keyValue(names.nodesBucket());
        this.bundles = connection.objectStore(names.bundlesBucket());
        this.ends = new TaskEnds(connection, names.endedSubject());
    }

    /**
     * Connects and makes sure the stream, consumers, buckets and object store exist.
     *
     * @param url {@code nats://[token@]host:port[/namespace]}
     * @param token an authentication token, or null (also accepted in the URL)
     * @param name the connection's name as NATS monitoring shows it
     * @param capacity tasks the stream holds before a submission is refused; 0 leaves an existing
     *     stream as it is (a worker node does not decide the queue's size)
     * @param retention how long a task's state stays readable
     * @throws IllegalStateException naming the server and the reason when it cannot be reached
     */
    public static JetStreamLink connect(
            String url, @Nullable String token, String name, int capacity, Duration retention) {
        QueueNames names = QueueNames.of(url);
        Options.Builder options = Options.builder()
                .server(QueueNames.server(url))
                .connectionName(name)
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                // Logging and error reporting go through our listener, not jnats's stderr printer.
                // (Echo stays on: this instance's queue must hear the ends its own pump announces.)
                .errorListener(new LoggingErrorListener());
        if (token != null && !token.isEmpty()) {
            options.token(token.toCharArray());
        }
        Connection connection;
        try {
            connection = Nats.connect(options.build());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot reach NATS at " + redact(url) + ": " + e.getMessage()
                            + " (start one with: nats-server -js -a 127.0.0.1)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS at " + redact(url), e);
        }
        try {
            return new JetStreamLink(connection, redact(url), names, capacity, retention);
        } catch (IOException | JetStreamApiException e) {
            closeQuietly(connection);
            throw new IllegalStateException(
                    "NATS at " + redact(url) + " has no usable JetStream (is it started with -js?): " + e.getMessage(),
                    e);
        }
    }

    private void ensureStream(int capacity) throws IOException, JetStreamApiException {
        StreamConfiguration config = StreamConfiguration.builder()
                .name(names.stream())
                .subjects(names.taskSubjects())
                .retentionPolicy(RetentionPolicy.WorkQueue)
                .storageType(StorageType.File)
                .maxMessages(capacity > 0 ? capacity : DEFAULT_CAPACITY)
                // A full queue refuses the newest task (the client gets 429), never drops an old one.
                .discardPolicy(DiscardPolicy.New)
                .duplicateWindow(Duration.ofMinutes(2))
                .build();
        try {
            management.getStreamInfo(names.stream());
            if (capacity > 0) {
                management.updateStream(config);
            }
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            try {
                management.addStream(config);
            } catch (JetStreamApiException raced) {
                // Another node created it between our two calls: the one we wanted exists.
                management.getStreamInfo(names.stream());
            }
        }
    }

    private void ensureConsumer(Language language, int capacity) throws IOException, JetStreamApiException {
        ConsumerConfiguration config = ConsumerConfiguration.builder()
                .durable(names.consumer(language))
                .filterSubject(names.subjects(language))
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(ACK_WAIT)
                // Redeliveries are bounded per task by its max_retries (then CRASH), not here: a
                // consumer's own limit would leave the message in the stream, undelivered forever.
                .maxDeliver(-1)
                .maxAckPending(capacity > 0 ? capacity : DEFAULT_CAPACITY)
                .build();
        if (capacity > 0) {
            management.addOrUpdateConsumer(names.stream(), config);
            return;
        }
        try {
            management.getConsumerInfo(names.stream(), names.consumer(language));
        } catch (JetStreamApiException missing) {
            management.addOrUpdateConsumer(names.stream(), config);
        }
    }

    private void ensureBucket(String name, Duration ttl) throws IOException, JetStreamApiException {
        try {
            connection.keyValueManagement().getStatus(name);
        } catch (JetStreamApiException e) {
            try {
                connection
                        .keyValueManagement()
                        .create(KeyValueConfiguration.builder()
                                .name(name)
                                .maxHistoryPerKey(1)
                                .ttl(ttl)
                                .storageType(StorageType.File)
                                .build());
            } catch (JetStreamApiException raced) {
                connection.keyValueManagement().getStatus(name);
            }
        }
    }

    private void ensureObjectStore() throws IOException, JetStreamApiException {
        try {
            connection.objectStoreManagement().getStatus(names.bundlesBucket());
        } catch (JetStreamApiException e) {
            try {
                connection
                        .objectStoreManagement()
                        .create(ObjectStoreConfiguration.builder(names.bundlesBucket())
                                .storageType(StorageType.File)
                                .build());
            } catch (JetStreamApiException raced) {
                connection.objectStoreManagement().getStatus(names.bundlesBucket());
            }
        }
    }

    QueueNames names() {
        return names;
    }

    /** The stream's name, for logs. */
    public String stream() {
        return names.stream();
    }

    Connection connection() {
        return connection;
    }

    JetStream jetStream() {
        return jetStream;
    }

    JetStreamManagement management() {
        return management;
    }

    KeyValue tasks() {
        return tasks;
    }

    KeyValue nodes() {
        return nodes;
    }

    ObjectStore bundles() {
        return bundles;
    }

    /** Where this process hears of and announces the ends of tasks (one per connection). */
    TaskEnds ends() {
        return ends;
    }

    /** The server's address without credentials, for logs and health details. */
    public String server() {
        return server;
    }

    public boolean connected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Removes everything distribute keeps on the server under the URL's namespace: the stream with
     * its queued tasks, the buckets and the bundles. For decommissioning a namespace, and for tests.
     */
    // Closing the connection may be interrupted; this method already throws InterruptedException.
    @SuppressWarnings("try")
    public static void deleteNamespace(String url) throws IOException, InterruptedException {
        QueueNames names = QueueNames.of(url);
        try (Connection connection = Nats.connect(QueueNames.server(url))) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String stream : java.util.List.of(
                    names.stream(),
                    "KV_" + names.tasksBucket(),
                    "KV_" + names.nodesBucket(),
                    "OBJ_" + names.bundlesBucket())) {
                try {
                    management.deleteStream(stream);
                } catch (JetStreamApiException absent) {
                    // nothing to delete
                }
            }
        }
    }

    /**
     * Checks a queue URL before anything connects, so a typo is refused at start with the rule.
     *
     * @throws IllegalArgumentException naming the rule the URL breaks
     */
    public static void validate(String url) {
        if (!url.startsWith("nats://") && !url.startsWith("tls://")) {
            throw new IllegalArgumentException(
                    "--distribute-queue is nats://[TOKEN@]HOST:PORT[/NAMESPACE], was " + redact(url));
        }
        QueueNames.of(url);
    }

    /** {@code nats://secret@host:4222} → {@code nats://***@host:4222}. */
    static String redact(String url) {
        return url.replaceAll("//[^@/]+@", "//***@");
    }
}
