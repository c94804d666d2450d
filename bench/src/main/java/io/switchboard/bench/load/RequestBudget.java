package io.switchboard.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/** How many more requests a step may send, shared by every event loop; unlimited when counting by time. */
final class RequestBudget {

    private final AtomicLong remaining;
    /** Counting by time: no shared counter to touch, which every loop would do once per request. */
    private final boolean unlimited;

    private RequestBudget(long remaining) {
        this.remaining = new AtomicLong(remaining);
        this.unlimited = remaining == Long.MAX_VALUE;
    }

    /** A budget of {@code count} requests, or an unlimited one when {@code count} is 0. */
    public static RequestBudget of(long count) {
        return new RequestBudget(count == 0 ? Long.MAX_VALUE : count);
    }

    /** Takes one request from the budget; false when it is spent. */
    public boolean tryTake() {
        return unlimited || remaining.getAndDecrement() > 0;
    }
}
