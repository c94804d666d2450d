package io.switchboard.fanout;

import java.util.List;

/**
 * What a fan-out produced.
 *
 * @param requestId the request's id
 * @param answers the successes, in arrival order (one for {@link FanoutPolicy.Goal#FIRST_SUCCESS})
 * @param fired attempts started
 * @param failures attempts that failed before the fan-out ended
 */
public record FanoutResult<T>(String requestId, List<Answer<T>> answers, int fired, List<AttemptFailure> failures) {

    /**
     * One success.
     *
     * @param attempt 1-based index of the attempt that produced it
     * @param value the upstream's value
     */
    public record Answer<T>(int attempt, T value) {}

    public FanoutResult {
        answers = List.copyOf(answers);
        failures = List.copyOf(failures);
    }

    /** The values, in arrival order. */
    public List<T> values() {
        return answers.stream().map(Answer::value).toList();
    }
}
