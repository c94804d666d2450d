package io.switchboard.distribute.jetstream;

import io.switchboard.distribute.dispatch.Language;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names of distribute's objects on a NATS server. A namespace (the path of the queue URL,
 * {@code nats://host:4222/staging}) keeps several independent deployments apart on one server;
 * without one the names are the plain ones.
 *
 * @param namespace empty, or letters, digits, {@code _} and {@code -}
 */
record QueueNames(String namespace) {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_-]{0,32}");

    QueueNames {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException(
                    "the queue's namespace (the URL's path) is up to 32 letters, digits, _ or -, was '" + namespace
                            + "'");
        }
    }

    /** Splits {@code nats://host:4222/ns} into the server URL and the names of namespace {@code ns}. */
    static QueueNames of(String url) {
        int scheme = url.indexOf("://");
        int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        return new QueueNames(slash < 0 ? "" : url.substring(slash + 1).replaceAll("/+$", ""));
    }

    /** The URL without the namespace, as the NATS client takes it. */
    static String server(String url) {
        int scheme = url.indexOf("://");
        int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        return slash < 0 ? url : url.substring(0, slash);
    }

    private String token() {
        return namespace.isEmpty() ? "" : "_" + namespace.replace('-', '_');
    }

    private String dotted() {
        return namespace.isEmpty() ? "" : "." + namespace;
    }

    String stream() {
        return "SWITCHBOARD_DISTRIBUTE" + token().toUpperCase(Locale.ROOT);
    }

    String taskSubjects() {
        return "switchboard.distribute" + dotted() + ".task.>";
    }

    /**
     * Each task travels on a subject of its own, {@code ….task.java.<id>}: a queued task is then
     * found by id in the stream (its last message on that subject), whatever the state bucket
     * still holds, and a cancelled one is deleted from it by sequence.
     */
    String subject(Language language, String taskId) {
        return languageSubject(language) + "." + taskId;
    }

    /** The tasks of one language: what its consumer delivers. */
    String subjects(Language language) {
        return languageSubject(language) + ".*";
    }

    private String languageSubject(Language language) {
        return "switchboard.distribute" + dotted() + ".task." + language.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Named apart from the {@code workers-*} consumers of the one-subject-per-language layout
     * (NATS 2.9 cannot change a consumer's filter): a stream from before keeps those unused.
     */
    String consumer(Language language) {
        return "tasks-" + language.name().toLowerCase(Locale.ROOT);
    }

    String tasksBucket() {
        return "switchboard_distribute" + token() + "_tasks";
    }

    String nodesBucket() {
        return "switchboard_distribute" + token() + "_nodes";
    }

    String bundlesBucket() {
        return "switchboard_distribute" + token() + "_bundles";
    }

    /** A key-value put of a task's state is a publish to this subject. */
    String stateSubject(String taskId) {
        return "$KV." + tasksBucket() + "." + taskId;
    }

    String endedSubject() {
        return "switchboard.distribute" + dotted() + ".ended";
    }

    String cancelSubject() {
        return "switchboard.distribute" + dotted() + ".cancel";
    }
}
