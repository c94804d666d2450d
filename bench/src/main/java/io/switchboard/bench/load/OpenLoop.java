package io.switchboard.bench.load;

import io.switchboard.bench.Ticker;
import io.switchboard.bench.measure.StepRecorder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The open model: requests leave at the times an {@link ArrivalSchedule} gives, whatever the server
 * does, and each one's latency counts from when it was due. A request that finds no free
 * connection waits in the client's queue, and that wait is part of its latency.
 *
 * <p>Threading: a 1 ms timer per transport loop has that loop send its share of the due requests
 * (request {@code i} goes to loop {@code i % loops}), so sending is spread over the loops and
 * never blocks; the timer's granularity adds up to about a millisecond to measured latencies.
 */
final class OpenLoop {

    /** Period of each loop's sending timer. */
    static final long TICK_MS = 1;

    private final Vertx vertx;
    private final Transport transport;
    private final Ticker ticker;

    public OpenLoop(Vertx vertx, Transport transport, Ticker ticker) {
        this.vertx = vertx;
        this.transport = transport;
        this.ticker = ticker;
    }

    /** Sends on schedule until it ends or the budget is spent; completes when every answer is in. */
    public Future<Void> run(ArrivalSchedule schedule, RequestBudget budget, StepRecorder recorder) {
        List<Future<Void>> stopped = new ArrayList<>();
        for (int loop = 0; loop < transport.loopCount(); loop++) {
            LoopSender sender = new LoopSender(loop, schedule, budget, recorder);
            stopped.add(sender.done.future());
            transport.execute(loop, sender::start);
        }
        return Future.join(stopped).mapEmpty();
    }

    /** The sending state of one event loop; touched only on that loop. */
    private final class LoopSender {

        private final int loop;
        private final ArrivalSchedule schedule;
        private final RequestBudget budget;
        private final StepRecorder recorder;
        private final Promise<Void> done = Promise.promise();
        private final long total;
        private long next;
        private long inFlight;
        private boolean finishedSending;
        private long timer;

        LoopSender(int loop, ArrivalSchedule schedule, RequestBudget budget, StepRecorder recorder) {
            this.loop = loop;
            this.schedule = schedule;
            this.budget = budget;
            this.recorder = recorder;
            this.total = schedule.totalCount();
            this.next = loop;
        }

        void start() {
            // The timer fires on a Vert.x event loop: the sending itself runs on the transport's loop.
            timer = vertx.setPeriodic(TICK_MS, id -> transport.execute(loop, this::sendDue));
            sendDue();
        }

        private void sendDue() {
            if (finishedSending) {
                return;
            }
            long now = ticker.nanoTime();
            long due = schedule.dueCount(now);
            int loops = transport.loopCount();
            while (next < due) {
                if (!budget.tryTake()) {
                    next = total;
                    break;
                }
                inFlight++;
                long intended = schedule.intendedNanos(next);
                recorder.sendLag(now - intended);
                transport.exchange(loop, intended, recorder).onComplete(ended -> answered());
                next += loops;
            }
            if (next >= total) {
                finishedSending = true;
                vertx.cancelTimer(timer);
                completeIfIdle();
            }
        }

        private void answered() {
            inFlight--;
            completeIfIdle();
        }

        private void completeIfIdle() {
            if (finishedSending && inFlight == 0) {
                done.tryComplete();
            }
        }
    }
}
