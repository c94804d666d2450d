/**
 * Mock of fan-out's flaky work backend ({@code {"time": N}} after 100–600 ms, sometimes broken),
 * with the seed's scenario API ({@code POST /setscenario}, {@code GET /requests}) extended with
 * scripted faults (connection reset, slow body, hang). See {@link
 * io.switchboard.mock.work.WorkMockService}.
 */
package io.switchboard.mock.work;
