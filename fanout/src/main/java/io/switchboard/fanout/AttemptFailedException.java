package io.switchboard.fanout;

/**
 * How an {@link Upstream} fails an attempt with a known {@link AttemptFailure.Kind}; any other
 * exception counts as {@link AttemptFailure.Kind#CONNECTION}. Stackless: it is a normal outcome.
 */
public final class AttemptFailedException extends RuntimeException {

    private final AttemptFailure.Kind kind;

    public AttemptFailedException(AttemptFailure.Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    public AttemptFailure.Kind kind() {
        return kind;
    }
}
