package io.switchboard.distribute.link;

/**
 * The message types of the worker link and their fields. Each frame is a JSON object whose {@code
 * type} is one of these.
 *
 * <pre>
 * worker → dispatcher  hello   {worker, token, pid}         first frame; the dispatcher closes the link on a bad token
 * dispatcher → worker  task    {task, attempt, function, bundle?, payload?, args?}   only to an idle worker
 * worker → dispatcher  need    {bundle}                      the worker lacks a bundle's classes
 * dispatcher → worker  bundle  {bundle, jar?}                the jar's bytes (base64), or no jar if unknown
 * worker → dispatcher  result  {task, attempt, ok, result?, encoding?, error?, stdout, stderr, run_ns}
 * </pre>
 *
 * After a result the worker is idle again. There is no prefetch: the dispatcher never sends a task
 * to a busy worker, so no task waits behind a slow one while another worker is idle.
 */
public final class Message {

    public static final String HELLO = "hello";
    public static final String TASK = "task";
    public static final String NEED = "need";
    public static final String BUNDLE = "bundle";
    public static final String RESULT = "result";

    /** Environment variable through which a supervised worker receives its link token. */
    public static final String TOKEN_ENV = "DISTRIBUTE_WORKER_TOKEN";

    private Message() {}
}
