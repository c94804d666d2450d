/**
 * The client's machinery, by concern. Shipping: {@code ShippedFunction} (serialize to check, then
 * bundle; per call, the payload), {@code CaptureChecker} (the path to what is not serializable),
 * {@code BundleBuilder} and {@code ClassReferences} (class files, transitively, into a deterministic
 * jar), {@code Invocation} (the payload the worker calls). HTTP: {@code TaskClient} (upload, submit,
 * wait, retry) with {@code AsyncLimiter} (requests in flight). Decoding: {@code TaskOutcomes} and
 * {@code Results}.
 *
 * <p>Workers carry this package too ({@code Invocation} is deserialized there), so it is never
 * bundled. Not an API: other modules use {@code io.switchboard.distribute.client}.
 */
package io.switchboard.distribute.client.internal;
