/**
 * Running a plan: {@code Bench} chains the steps through {@code load}, samples server-side gauges
 * through {@code scrape} beside them, and merges the outcomes into a {@code BenchResult} with the
 * capacity estimate from {@code measure}. It sits above those packages and the top package, which
 * holds only the plan, the result and the small interfaces they share, so that none of them needs
 * to know who runs them.
 */
package io.switchboard.bench.run;
