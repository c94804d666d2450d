/**
 * Java client of the eye: {@link io.switchboard.eye.client.EyeClient} batches events per session
 * lane (a session's batches leave one at a time, so their order is kept), sends them with
 * client-generated idempotent ids, retries 429/5xx and connection errors with jittered backoff
 * honouring {@code Retry-After}, splits a batch refused with 413, bounds its buffer and gzips large
 * bodies. Depends only on the JDK's {@code java.net.http}, Jackson and SLF4J, so applications can
 * embed it.
 */
package io.switchboard.eye.client;
