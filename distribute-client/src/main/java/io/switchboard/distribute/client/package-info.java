/**
 * Java client of distribute: runs this application's functions on the server's worker processes.
 *
 * <p>Public API: {@link io.switchboard.distribute.client.Distribute} (connect, {@code computeThis},
 * {@code call}), the serializable functional interfaces the functions are written as, the remote
 * handles ({@link io.switchboard.distribute.client.RemoteFunction} and friends), {@link
 * io.switchboard.distribute.client.RemoteCall} and its {@link
 * io.switchboard.distribute.client.RemoteResult}, and the exceptions. The machinery that hands
 * those types out is package-private here: shipping ({@code ShippedFunction}, {@code
 * BundleBuilder}), the HTTP flow ({@code TaskClient}, {@code TaskRequest}) and result decoding
 * ({@code TaskOutcomes}, {@code Results}); what needs none of them is in {@code internal}
 * (captures, class references, the payload {@code Invocation}), which never reads this package.
 *
 * <p>Data path: {@code computeThis → serialize (check) → bundle (class files, SHA-256) → upload
 * (HEAD/PUT, once) → POST task → GET until ended → decode}. Shipping runs on the caller's thread;
 * HTTP and decoding on the JDK HttpClient's threads. Workers carry this package on their class
 * path, which is why the classes in it are never bundled.
 */
package io.switchboard.distribute.client;
