package io.switchboard.bench.load;

import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * The closed model: {@code users} virtual users, each sending its next request as soon as the last
 * one ended, until the deadline or the budget. Like wrk, it measures from the actual send time, so
 * a server stall shows up as one slow request per user (the open model measures it fully).
 *
 * <p>Threading: user {@code i} lives on the transport's loop {@code i % loops} and runs entirely there.
 */
final class ClosedLoop {

    private final Transport transport;
    private final Ticker ticker;

    public ClosedLoop(Transport transport, Ticker ticker) {
        this.transport = transport;
        this.ticker = ticker;
    }

    /** Runs {@code users} users until {@code deadlineNanos} or the budget is spent; completes when all stopped. */
    public Future<Void> run(int users, long deadlineNanos, RequestBudget budget, StepRecorder recorder) {
        List<Future<Void>> stopped = new ArrayList<>(users);
        for (int user = 0; user < users; user++) {
            int loop = user % transport.loopCount();
            Promise<Void> done = Promise.promise();
            stopped.add(done.future());
            transport.execute(loop, () -> sendNext(loop, deadlineNanos, budget, recorder, done));
        }
        return Future.join(stopped).mapEmpty();
    }

    private void sendNext(
            int loop, long deadlineNanos, RequestBudget budget, StepRecorder recorder, Promise<Void> done) {
        long now = ticker.nanoTime();
        if (now >= deadlineNanos || !budget.tryTake()) {
            done.complete();
            return;
        }
        transport
                .exchange(loop, now, recorder)
                .onComplete(ended -> sendNext(loop, deadlineNanos, budget, recorder, done));
    }
}
