/**
 * Java client of the eye: {@link io.switchboard.eye.client.EyeClient} batches events, sends them
 * asynchronously with client-generated idempotent ids, and retries 503s and connection errors with
 * exponential backoff honouring {@code Retry-After}. Depends only on the JDK's {@code java.net.http}
 * and Jackson, so applications can embed it.
 */
package io.switchboard.eye.client;
