/** Server-side series: a sampler of named gauges from a Prometheus text endpoint during a run. */
package io.switchboard.bench.scrape;
