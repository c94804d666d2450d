/**
 * Mock backends. Each mock is a platform {@link io.switchboard.platform.Service}, so {@code
 * switchboard mock} serves them alone on their own port, and {@code switchboard serve} can mount
 * them beside the real services to stand in for backends that are unreachable. One sub-package per
 * mocked backend: {@code menu} (the relay's restaurant API), {@code work} (fan-out's flaky work
 * endpoint).
 */
package io.switchboard.mock;
