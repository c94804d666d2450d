package io.switchboard.distribute.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One call of a remote function, ready to run: its payload is already serialized (so an
 * unshippable argument failed at {@code apply}), and nothing is sent until {@link #run} or {@link
 * #runAsync}. Each run submits a new task, so a call can be run again. Immutable: the {@code with}
 * methods return copies.
 *
 * <p>A task that ends without a value fails with {@link TaskFailedException} (for an exception of
 * the function, its cause is a {@link RemoteException}); a refusal of the server or a lost
 * connection with {@link DistributeException}.
 *
 * @param <R> the result's type
 */
public final class RemoteCall<R> {

    private final TaskClient client;
    private final TaskRequest request;
    private final ResultDecoder<R> decoder;

    RemoteCall(TaskClient client, TaskRequest request, ResultDecoder<R> decoder) {
        this.client = client;
        this.request = request;
        this.decoder = decoder;
    }

    /** Runs the task and waits for its value (null when the function returned null). */
    public @Nullable R run() {
        return runWithOutput().value();
    }

    /** Runs the task and waits for its value, its output and where and how long it ran. */
    public RemoteResult<R> runWithOutput() {
        return await(runWithOutputAsync());
    }

    /**
     * Runs the task without blocking. Cancelling the future cancels the task on the server (its
     * worker is killed if it is running).
     */
    public CompletableFuture<R> runAsync() {
        CompletableFuture<RemoteResult<R>> source = runWithOutputAsync();
        CompletableFuture<R> value = source.thenApply(RemoteResult::value);
        var _ = value.whenComplete((ignored, failure) -> {
            if (value.isCancelled()) {
                source.cancel(true);
            }
        });
        return value;
    }

    /** {@link #runAsync()} with the output and where and how long it ran. */
    public CompletableFuture<RemoteResult<R>> runWithOutputAsync() {
        return client.run(request, decoder);
    }

    /** A copy whose task is killed after running for {@code timeout} (it then fails with TIMEOUT). */
    public RemoteCall<R> withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() == 0) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, was " + timeout);
        }
        return new RemoteCall<>(client, request.withTimeout(timeout), decoder);
    }

    /** A copy whose task is retried at most {@code maxRetries} times after its worker crashed. */
    public RemoteCall<R> withMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
        }
        return new RemoteCall<>(client, request.withMaxRetries(maxRetries), decoder);
    }

    /** A copy whose task is retried (within the max retries) when the function throws, too. */
    public RemoteCall<R> withRetryExceptions(boolean retryExceptions) {
        return new RemoteCall<>(client, request.withRetryExceptions(retryExceptions), decoder);
    }

    @Override
    public String toString() {
        return "RemoteCall[" + request.function()
                + (request.bundleIdToName() == null ? "" : " in bundle " + request.bundleIdToName()) + "]";
    }

    /** Waits for {@code future}, rethrowing its failure as it is (they are all unchecked). */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DistributeException("interrupted while waiting for the task; it is cancelled", 0, null, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new DistributeException("the task could not be run: " + cause, 0, null, cause);
        }
    }
}
