package io.switchboard.distribute.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.distribute.link.Frames;
import io.switchboard.distribute.link.Message;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A worker process: connects to a dispatcher, says hello, then runs one task at a time for as long
 * as the link lives. {@code switchboard worker} and the supervisor of {@code serve} both start it.
 *
 * <p>Two threads: the main thread runs tasks; a reader thread takes frames off the link (tasks,
 * bundles) and, when the link closes, halts the process. So a worker never outlives its
 * dispatcher, even one killed with SIGKILL, and never runs a task nobody waits for.
 */
public final class WorkerMain {

    /** How long the worker retries its first connection, while its dispatcher starts. */
    private static final Duration CONNECT_PATIENCE = Duration.ofSeconds(30);

    /** How long it waits for a bundle it asked for. */
    private static final Duration BUNDLE_WAIT = Duration.ofSeconds(60);

    /** Bundles' class loaders kept; beyond it the least recently used is dropped. */
    private static final int MAX_LOADERS = 64;

    private final String host;
    private final int port;
    private final String workerId;
    private final @Nullable String token;
    private final BlockingQueue<ObjectNode> tasks = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<byte[]>> pendingBundles = new ConcurrentHashMap<>();
    private final Map<String, ClassLoader> loaders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ClassLoader> eldest) {
            return size() > MAX_LOADERS;
        }
    };
    /** The link's output, opened by {@link #serve}; null before. */
    private @Nullable DataOutputStream out;

    private WorkerMain(String host, int port, String workerId, @Nullable String token) {
        this.host = host;
        this.port = port;
        this.workerId = workerId;
        this.token = token;
    }

    /**
     * {@code --connect HOST:PORT --id ID [--token T]}; the token may also come from the
     * environment variable {@value Message#TOKEN_ENV}, which keeps it out of process listings.
     */
    public static void main(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String connect = options.get("--connect");
        if (connect == null || !connect.contains(":")) {
            System.err.println("worker: --connect HOST:PORT is required");
            System.exit(2);
            return; // not reached: exit does not return
        }
        String id =
                options.getOrDefault("--id", "worker-" + ProcessHandle.current().pid());
        String token = options.getOrDefault("--token", System.getenv(Message.TOKEN_ENV));
        int colon = connect.lastIndexOf(':');
        System.exit(run(connect.substring(0, colon), Integer.parseInt(connect.substring(colon + 1)), id, token));
    }

    /** Runs the worker until its link closes; returns the process exit code. */
    public static int run(String host, int port, String workerId, @Nullable String token) {
        return new WorkerMain(host, port, workerId, token).serve();
    }

    private int serve() {
        PrintStream console = System.err;
        // The hello is built before connecting: the JSON machinery loads while nobody waits on the link.
        ObjectNode hello = Frames.json().createObjectNode();
        hello.put("type", Message.HELLO);
        hello.put("worker", workerId);
        hello.put("token", token);
        hello.put("pid", ProcessHandle.current().pid());
        Frames.encode(hello);
        Socket socket;
        try {
            socket = connect();
        } catch (IOException e) {
            console.println("worker " + workerId + ": cannot connect to " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        OutputCapture output = new OutputCapture();
        output.install();
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            send(hello);
            Thread reader =
                    Thread.ofPlatform().daemon().name("worker-link-reader").start(() -> read(in, console));
            TaskRunner runner = new TaskRunner(this::loader, output);
            // Runs until the reader halts the process when the link closes.
            while (reader.isAlive()) {
                send(runner.run(tasks.take()));
            }
        } catch (IOException | InterruptedException e) {
            console.println("worker " + workerId + ": link failed: " + e.getMessage());
        }
        return 0;
    }

    private Socket connect() throws IOException {
        long deadline = System.nanoTime() + CONNECT_PATIENCE.toNanos();
        while (true) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 5_000);
                return socket;
            } catch (IOException e) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200); // retry pacing while the dispatcher starts, not synchronisation
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The reader thread: frames in; when the link closes, the process ends at once. */
    private void read(DataInputStream in, PrintStream console) {
        try {
            while (true) {
                ObjectNode frame = Frames.read(in);
                switch (frame.path("type").asText()) {
                    case Message.TASK -> tasks.add(frame);
                    case Message.BUNDLE -> {
                        CompletableFuture<byte[]> pending =
                                pendingBundles.remove(frame.path("bundle").asText());
                        if (pending != null) {
                            pending.complete(
                                    frame.hasNonNull("jar")
                                            ? Base64.getDecoder()
                                                    .decode(frame.get("jar").asText())
                                            : null);
                        }
                    }
                    default ->
                        console.println("worker " + workerId + ": ignoring a frame of type " + frame.get("type"));
                }
            }
        } catch (IOException e) {
            // The dispatcher is gone (or closed the link to end this worker): nothing may outlive it,
            // including threads the user's functions started, so halt rather than exit.
            console.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    private synchronized void send(ObjectNode frame) throws IOException {
        Frames.write(Objects.requireNonNull(out, "serve opens the link before anything is sent"), frame);
    }

    private ClassLoader loader(String bundle) throws IOException {
        ClassLoader cached = loaders.get(bundle);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<byte[]> pending = new CompletableFuture<>();
        pendingBundles.put(bundle, pending);
        ObjectNode need = Frames.json().createObjectNode();
        need.put("type", Message.NEED);
        need.put("bundle", bundle);
        send(need);
        byte[] jar;
        try {
            jar = pending.get(BUNDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the bundle");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the dispatcher did not send it");
        }
        if (jar == null) {
            throw new IOException("the dispatcher does not hold it (evicted? upload it again)");
        }
        ClassLoader loader = BundleClassLoader.of(bundle, jar);
        loaders.put(bundle, loader);
        return loader;
    }
}
