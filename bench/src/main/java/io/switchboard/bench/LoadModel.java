package io.switchboard.bench;

import java.util.List;

/**
 * How load is offered: a closed model (a fixed number of users, each waiting for its answer before
 * sending again) swept over several concurrency steps, or an open model (requests arrive at a
 * constant rate whatever the server does, as real independent clients do).
 */
public sealed interface LoadModel {

    /** The steps this model runs, in order. */
    List<Step> steps();

    /** One measured period: a concurrency (closed model) or a rate (open model). */
    record Step(String name, int concurrency, double rate) {}

    /**
     * Closed model: each step keeps {@code concurrency} requests in flight, one per connection.
     *
     * @param concurrency the steps, e.g. {@code 1, 2, 4, 8}
     */
    record Closed(List<Integer> concurrency) implements LoadModel {

        /** Highest concurrency accepted: a bound on connections, and so on the tool's own damage. */
        public static final int MAX_CONCURRENCY = 10_000;

        public Closed {
            if (concurrency == null || concurrency.isEmpty()) {
                throw new IllegalArgumentException("--concurrency needs at least one step");
            }
            for (int c : concurrency) {
                if (c < 1 || c > MAX_CONCURRENCY) {
                    throw new IllegalArgumentException(
                            "--concurrency steps must be between 1 and " + MAX_CONCURRENCY + ", was " + c);
                }
            }
            concurrency = List.copyOf(concurrency);
        }

        @Override
        public List<Step> steps() {
            return concurrency.stream().map(c -> new Step("c=" + c, c, 0)).toList();
        }
    }

    /**
     * Open model: requests are due at a constant rate and latency is measured from the time each
     * was due, so a stalled server cannot hide behind requests the generator did not send. Several
     * rates make several steps, run one after the other ({@code --rate 100/s,200/s}).
     *
     * @param rates requests per second of each step
     * @param connections most connections opened; requests beyond them wait (and that wait counts)
     */
    record Open(List<Double> rates, int connections) implements LoadModel {

        /** Highest rate accepted, far above what one machine can send. */
        public static final double MAX_RATE = 1_000_000;

        /** One step at {@code rate}. */
        public Open(double rate, int connections) {
            this(List.of(rate), connections);
        }

        public Open {
            if (rates == null || rates.isEmpty()) {
                throw new IllegalArgumentException("--rate needs at least one step");
            }
            for (double rate : rates) {
                if (!(rate > 0) || rate > MAX_RATE) {
                    throw new IllegalArgumentException(
                            "--rate must be above 0 and at most " + (long) MAX_RATE + "/s, was " + rate);
                }
            }
            rates = List.copyOf(rates);
            if (connections < 1 || connections > Closed.MAX_CONCURRENCY) {
                throw new IllegalArgumentException(
                        "--connections must be between 1 and " + Closed.MAX_CONCURRENCY + ", was " + connections);
            }
        }

        @Override
        public List<Step> steps() {
            return rates.stream()
                    .map(rate -> new Step("rate=" + formatRate(rate), connections, rate))
                    .toList();
        }

        private static String formatRate(double rate) {
            return rate == Math.rint(rate) ? Long.toString((long) rate) + "/s" : rate + "/s";
        }
    }
}
