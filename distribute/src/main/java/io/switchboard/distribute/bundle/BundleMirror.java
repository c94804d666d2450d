package io.switchboard.distribute.bundle;

import java.util.Optional;

/**
 * Where bundles are shared between machines (JetStream's object store), behind the in-memory
 * {@link BundleStore}. Calls block on the network: callers keep them off event loops.
 */
public interface BundleMirror {

    /** No sharing: the bundles of this process are all there is. */
    BundleMirror NONE = new BundleMirror() {
        @Override
        public void put(String id, byte[] jar) {}

        @Override
        public Optional<byte[]> get(String id) {
            return Optional.empty();
        }
    };

    void put(String id, byte[] jar);

    Optional<byte[]> get(String id);

    default boolean shared() {
        return this != NONE;
    }
}
