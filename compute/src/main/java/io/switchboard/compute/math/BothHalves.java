package io.switchboard.compute.math;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs two independent halves of a computation at once: one on the calling thread, the other on
 * a helper. Whoever gets to the second half first runs it, so when every helper is busy the caller
 * runs both halves itself instead of waiting. It returns only when both halves are done, also when
 * one failed (their native integers may be freed right after).
 */
final class BothHalves {

    private BothHalves() {}

    static void run(Runnable mine, Runnable other, Executor helpers) {
        AtomicBoolean claimed = new AtomicBoolean();
        CompletableFuture<Void> helper = CompletableFuture.runAsync(
                () -> {
                    if (claimed.compareAndSet(false, true)) {
                        other.run();
                    }
                },
                helpers);
        try {
            mine.run();
        } catch (RuntimeException | Error e) {
            if (!claimed.compareAndSet(false, true)) {
                helper.exceptionally(ignored -> null).join();
            }
            throw e;
        }
        if (claimed.compareAndSet(false, true)) {
            other.run();
            return;
        }
        try {
            helper.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
