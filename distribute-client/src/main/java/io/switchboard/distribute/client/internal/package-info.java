/**
 * The client's machinery that needs nothing of its API: {@code CaptureChecker} (the path to what is
 * not serializable), {@code ClassReferences} (the classes a class file names), {@code Bundle} (a
 * deterministic jar of class files), {@code Invocation} and {@code SerializedInvocation} (the
 * payload the worker calls), {@code AsyncLimiter} (requests in flight).
 *
 * <p>This package never reads {@code io.switchboard.distribute.client}: the API package uses it, so
 * a dependency back would make the two one package in practice. What needs the API's types (its
 * exceptions and results) lives beside them as package-private classes: {@code ShippedFunction},
 * {@code BundleBuilder}, {@code TaskClient}, {@code TaskOutcomes}, {@code Results}.
 *
 * <p>Workers carry this package too ({@code Invocation} is deserialized there), so it is never
 * bundled. Not an API: other modules use {@code io.switchboard.distribute.client}.
 */
package io.switchboard.distribute.client.internal;
